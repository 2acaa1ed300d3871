namespace TransferHub.Search.Analysis;

/// <summary>Edits of a text by character spans (what "did you mean" does to a query).</summary>
public static class TextEdits
{
    /// <summary>The text with each span replaced by its word; spans must not overlap.</summary>
    public static string Replace(string text, IEnumerable<(int Start, int End, string Word)> replacements)
    {
        var corrected = text;
        foreach (var (start, end, word) in replacements.OrderByDescending(r => r.Start))
        {
            corrected = corrected[..start] + word + corrected[end..];
        }
        return corrected;
    }
}
