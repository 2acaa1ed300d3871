using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace TransferHub.Search.Analysis;

/// <summary>
/// Removes the zero-width joiner and non-joiner (U+200D, U+200C) from each term. In Sinhala and the Indic scripts they
/// only choose a glyph (Sinhala ශ්‍රී, ක්‍රම with the rakāraṁśaya; Devanagari half forms), and keyboards differ in whether
/// they type them, so "ක්‍රම" and "ක්රම" must be one word. ICU's NFKC case folding drops them for the same reason; the
/// Elasticsearch mapping does it with a pattern_replace filter (<c>joiners</c>).
/// </summary>
public sealed class JoinerRemovalFilter(TokenStream input) : TokenFilter(input)
{
    private readonly ICharTermAttribute term = input.AddAttribute<ICharTermAttribute>();

    public override bool IncrementToken()
    {
        if (!m_input.IncrementToken())
        {
            return false;
        }
        var buffer = term.Buffer;
        var length = term.Length;
        var kept = 0;
        for (var i = 0; i < length; i++)
        {
            if (buffer[i] is not ('\u200C' or '\u200D'))
            {
                buffer[kept++] = buffer[i];
            }
        }
        if (kept < length)
        {
            term.Length = kept;
        }
        return true;
    }
}
