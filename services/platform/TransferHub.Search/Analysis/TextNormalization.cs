namespace TransferHub.Search.Analysis;

/// <summary>
/// What every text goes through before anything reads it — documents, queries, autocomplete prefixes and thesaurus labels,
/// in both engines: Burmese in the legacy Zawgyi encoding becomes Unicode (<see cref="Zawgyi"/>), and Lao letters typed
/// in two code points become the one of the standard spelling (<see cref="LaoComposed"/>). A no-op for every other text.
/// </summary>
public static class TextNormalization
{
    public static string Text(string text) => LaoComposed(Zawgyi.ToUnicode(text));

    public static SearchDocument Document(SearchDocument document) =>
        // (a text deserialised with a missing title, summary or keywords gets empty ones on the way)
        document.Texts.Any(t => Changes(t.Title) || Changes(t.Summary) || t.Keywords is null || t.Keywords.Any(Changes))
            ? document with
            {
                Texts = document.Texts.Select(t => t with
                {
                    Title = Text(t.Title ?? ""),
                    Summary = Text(t.Summary ?? ""),
                    Keywords = (t.Keywords ?? []).Select(Text).ToList(),
                }).ToList(),
            }
            : document;

    /// <summary>
    /// Lao as many keyboards and older texts write it: ຫນ and ຫມ for the ligatures ໜ and ໝ, ຫລ for ຫຼ (ຫ with the
    /// subscript lo), and the vowel am as nikhahit + aa (ໍາ) instead of ຳ. Unicode's compatibility decompositions go the
    /// other way, but ICU's Lao dictionary and the thesaurus' labels are written in the composed letters, so the composed
    /// form is the one that segments and matches ("ຫມາກໄມ້" = "ໝາກໄມ້", fruit).
    /// </summary>
    public static string LaoComposed(string text)
    {
        if (!text.Any(c => Scripts.Of(c) is Script.Lao))
        {
            return text;
        }
        return text.Replace("\u0EAB\u0E99", "\u0EDC").Replace("\u0EAB\u0EA1", "\u0EDD").Replace("\u0EAB\u0EA5", "\u0EAB\u0EBC")
            .Replace("\u0ECD\u0EB2", "\u0EB3");
    }

    private static bool Changes(string? text) =>
        text is null || text.Any(c => Scripts.Of(c) is Script.Lao or Script.Myanmar);
}
