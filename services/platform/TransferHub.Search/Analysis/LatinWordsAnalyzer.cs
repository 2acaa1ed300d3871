using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace TransferHub.Search.Analysis;

/// <summary>
/// The Latin-script words (and numbers) of a text in any script, lower-cased, folded and stemmed as the Latin languages are:
/// names, acronyms and units inside Chinese, Thai or Hindi texts ("LED", "NdFeB", "5G"), which a Latin query must find
/// without searching every language's fields.
/// </summary>
public sealed class LatinWordsAnalyzer : Analyzer
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new StandardTokenizer(Version, reader) { MaxTokenLength = 255 };
        return new TokenStreamComponents(tokenizer, new LatinOnly(new ASCIIFoldingFilter(new LowerCaseFilter(Version, new EnglishMinimalStemFilter(tokenizer)))));
    }

    /// <summary>The terms this analysis makes of <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Terms(string text)
    {
        var terms = new List<string>();
        using var stream = GetTokenStream("latin", new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }
        stream.End();
        return terms;
    }

    /// <summary>Keeps the tokens made only of Latin letters and digits (after folding: ASCII).</summary>
    private sealed class LatinOnly(TokenStream input) : FilteringTokenFilter(Version, input)
    {
        private readonly ICharTermAttribute term = input.AddAttribute<ICharTermAttribute>();

        protected override bool Accept()
        {
            for (var i = 0; i < term.Length; i++)
            {
                if (term.Buffer[i] > '\u007F' || !char.IsLetterOrDigit(term.Buffer[i]))
                {
                    return false;
                }
            }
            return term.Length > 0;
        }
    }
}
