using System.Globalization;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Fa;
using Lucene.Net.Analysis.Hi;
using Lucene.Net.Analysis.In;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace TransferHub.Search.Analysis;

/// <summary>
/// The analysis of one language (DOMAIN.md's table): Thai, Lao, Khmer and Burmese segmented into words by ICU's
/// dictionaries; Chinese as CJK bigrams plus unigrams (so a one-character query still matches); Latin-script languages
/// lower-cased, folded to ASCII ("công nghệ" = "cong nghe") and without plural s-endings; Devanagari, Bengali and Tamil with Indic normalisation
/// (and Hindi's own for hi/ne), zero-width joiners removed there and in Sinhala; Urdu with Arabic and Persian normalisation. Every pipeline also folds stray Latin words.
/// </summary>
public sealed class LanguageAnalyzer(string language) : Analyzer
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    public static readonly IReadOnlyList<string> Languages =
        ["zh", "en", "vi", "th", "lo", "km", "my", "id", "ms", "fil", "hi", "ne", "bn", "si", "ta", "ur"];

    public string Language { get; } = Languages.Contains(language)
        ? language
        : throw new ArgumentException($"Unknown language '{language}'; one of {string.Join(", ", Languages)}.", nameof(language));

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        if (Language is "th" or "lo" or "km" or "my")
        {
            var words = new IcuWordTokenizer(reader, new CultureInfo(Language));
            return new TokenStreamComponents(words, Fold(words));
        }
        var tokenizer = new StandardTokenizer(Version, reader) { MaxTokenLength = 255 };
        if (IsLatin(Language))
        {
            // plurals before lower-casing: the stemmer only takes a lower-case s, so acronyms keep theirs ("NGS" is not "ng")
            return new TokenStreamComponents(tokenizer, Fold(new EnglishMinimalStemFilter(tokenizer)));
        }
        TokenStream stream = Language switch
        {
            "zh" => new CJKBigramFilter(new LowerCaseFilter(Version, new CJKWidthFilter(tokenizer)), CJKScript.HAN, outputUnigrams: true),
            "hi" or "ne" => new HindiNormalizationFilter(new IndicNormalizationFilter(new LowerCaseFilter(Version, new JoinerRemovalFilter(tokenizer)))),
            "bn" or "ta" => new IndicNormalizationFilter(new LowerCaseFilter(Version, new JoinerRemovalFilter(tokenizer))),
            "si" => new LowerCaseFilter(Version, new JoinerRemovalFilter(tokenizer)),
            "ur" => new PersianNormalizationFilter(new ArabicNormalizationFilter(new LowerCaseFilter(Version, tokenizer))),
            _ => new LowerCaseFilter(Version, tokenizer),
        };
        return new TokenStreamComponents(tokenizer, Language == "zh" ? new ASCIIFoldingFilter(stream) : Fold(stream));
    }

    /// <summary>
    /// The Latin-script languages (en, vi, id, ms, fil), analysed alike: folded, and plural s-endings removed (Lucene's
    /// EnglishMinimalStemFilter: "batteries" = "battery", "pumps" = "pump"; before lower-casing, so an acronym in capitals
    /// keeps its S). The stemming is applied to all five, since they share indexed fields; in Vietnamese, Indonesian, Malay
    /// and Filipino it only ever conflates a word with its form without a final s, on both the index and the query side alike.
    /// </summary>
    public static bool IsLatin(string language) => language is "en" or "vi" or "id" or "ms" or "fil";

    private static TokenStream Fold(TokenStream stream) => new ASCIIFoldingFilter(new LowerCaseFilter(Version, stream));

    /// <summary>The terms this analysis makes of <paramref name="text"/> (for tests, explanations and query building).</summary>
    public IReadOnlyList<string> Terms(string text, string field = "text") => Tokens(text, field).Select(t => t.Term).ToList();

    /// <summary>The terms with the span of the original text each came from.</summary>
    public IReadOnlyList<(string Term, int Start, int End)> Tokens(string text, string field = "text")
    {
        var tokens = new List<(string, int, int)>();
        using var stream = GetTokenStream(field, new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add((term.ToString(), offset.StartOffset, offset.EndOffset));
        }
        stream.End();
        return tokens;
    }
}
