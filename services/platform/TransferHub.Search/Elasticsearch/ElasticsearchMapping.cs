using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TransferHub.Search.Analysis;
using TransferHub.Search.Concepts;

namespace TransferHub.Search.Elasticsearch;

/// <summary>
/// The settings and mappings of a collection's index: the analysis of <see cref="LanguageAnalyzer"/> written as
/// Elasticsearch analyzers (one <c>text_{lang}</c> to index, one <c>search_{lang}</c> that adds the thesaurus as
/// search-time synonyms), a text field per part and language, keyword fields for facets, concepts and completions,
/// doubles for the sortable numbers, and the stored values kept in <c>_source</c> only.
/// </summary>
public static class ElasticsearchMapping
{
    public static readonly IReadOnlyList<string> Parts = ["title", "keywords", "summary"];

    /// <summary>Part boosts, as in the Lucene engine (title 3, keywords 2, summary 1).</summary>
    public static float Boost(string part) => part switch { "title" => 3f, "keywords" => 2f, _ => 1f };

    public static string TextField(string part, string language) => $"{part}_{language}";

    public static string ConceptField(string language) => "concept_" + language;

    /// <summary>The concepts of a language's titles and keywords (what the listing is about), as the Lucene engine's.</summary>
    public static string MainConceptField(string language) => "concept_main_" + language;

    public static string CompletionField(string language) => "complete_" + language;

    public static string FacetField(string facet) => "facets." + facet;

    public static string NumberField(string name) => "numbers." + name;

    /// <summary>The body of <c>PUT /{index}</c>: settings (analysis) and mappings.</summary>
    public static JsonObject IndexBody(Thesaurus thesaurus, string refreshInterval) => new()
    {
        ["settings"] = new JsonObject
        {
            ["index"] = new JsonObject
            {
                // One shard: a collection is at most a few million documents, and scores and suggestion frequencies are
                // then the index's own (the same documents rank the same on every page).
                ["number_of_shards"] = 1,
                ["refresh_interval"] = refreshInterval,
                // The search API allows page 1000 of 100 hits (the Lucene engine has no such window).
                ["max_result_window"] = MaxResultWindow,
            },
            ["analysis"] = Analysis(thesaurus),
        },
        ["mappings"] = Mappings(thesaurus),
    };

    public const int MaxResultWindow = 100_000;

    /// <summary>Elasticsearch's duration syntax for a refresh interval (<c>250ms</c>, <c>1s</c>; <c>-1</c> switches refreshes off).</summary>
    public static string Interval(TimeSpan interval) =>
        interval <= TimeSpan.Zero ? "-1" : ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private static JsonObject Analysis(Thesaurus thesaurus)
    {
        var filters = new JsonObject
        {
            // Lucene's CJKBigramFilter(…, CJKScript.HAN, outputUnigrams: true): bigrams of Han only, plus unigrams.
            ["zh_bigrams"] = new JsonObject
            {
                ["type"] = "cjk_bigram",
                ["ignored_scripts"] = new JsonArray("hiragana", "katakana", "hangul"),
                ["output_unigrams"] = true,
            },
            // The query side: bigrams only (a lone character stays a unigram, which the index has). With unigrams the
            // query would be one clause per position mixing both, and synonyms could not follow the filter.
            // Lucene's EnglishMinimalStemFilter, for the Latin-script languages.
            ["plural_s"] = new JsonObject { ["type"] = "stemmer", ["language"] = "minimal_english" },
            // JoinerRemovalFilter: U+200C and U+200D out of Sinhala and Indic words (Java regex escapes).
            ["joiners"] = new JsonObject { ["type"] = "pattern_replace", ["pattern"] = "[\\u200C\\u200D]", ["replacement"] = "" },
            ["zh_bigrams_search"] = new JsonObject
            {
                ["type"] = "cjk_bigram",
                ["ignored_scripts"] = new JsonArray("hiragana", "katakana", "hangul"),
                ["output_unigrams"] = false,
            },
        };
        var analyzers = new JsonObject();
        foreach (var language in LanguageAnalyzer.Languages)
        {
            var (tokenizer, chain) = Chain(language);
            analyzers["text_" + language] = Analyzer(tokenizer, chain);
            var search = language == "zh" ? ["cjk_width", "lowercase", "zh_bigrams_search", "asciifolding"] : chain;
            var rules = SynonymRules(thesaurus, language);
            if (rules.Count == 0)
            {
                analyzers["search_" + language] = Analyzer(tokenizer, search);
                continue;
            }
            filters["synonyms_" + language] = new JsonObject
            {
                ["type"] = "synonym_graph",
                ["lenient"] = true, // a label its analysis empties (punctuation only) is skipped, not an error
                ["synonyms"] = new JsonArray([.. rules.Select(r => (JsonNode)r)]),
            };
            // Synonyms are parsed by the filters before them (a Chinese label becomes its bigrams, as a query does).
            analyzers["search_" + language] = Analyzer(tokenizer, search.Append("synonyms_" + language));
        }
        return new JsonObject
        {
            ["tokenizer"] = new JsonObject { ["standard_255"] = new JsonObject { ["type"] = "standard", ["max_token_length"] = 255 } },
            ["filter"] = filters,
            ["analyzer"] = analyzers,
        };
    }

    /// <summary>The tokenizer and token filters of a language, the same pipeline as <see cref="LanguageAnalyzer"/>.</summary>
    public static (string Tokenizer, string[] Filters) Chain(string language) => language switch
    {
        // IcuWordTokenizer: ICU's dictionary word breaks (analysis-icu); stray Latin words lower-cased and folded.
        "th" or "lo" or "km" or "my" => ("icu_tokenizer", ["lowercase", "asciifolding"]),
        "zh" => ("standard_255", ["cjk_width", "lowercase", "zh_bigrams", "asciifolding"]),
        // JoinerRemovalFilter: the zero-width joiner and non-joiner removed before the normalisations.
        "hi" or "ne" => ("standard_255", ["joiners", "lowercase", "indic_normalization", "hindi_normalization", "asciifolding"]),
        "bn" or "ta" => ("standard_255", ["joiners", "lowercase", "indic_normalization", "asciifolding"]),
        "si" => ("standard_255", ["joiners", "lowercase", "asciifolding"]),
        "ur" => ("standard_255", ["lowercase", "arabic_normalization", "persian_normalization", "asciifolding"]),
        // en, vi, id, ms, fil: "Công nghệ" = "cong nghe", "pumps" = "pump" (Lucene's EnglishMinimalStemFilter, before
        // lower-casing as in LanguageAnalyzer: it only takes a lower-case s, so "NGS" keeps it).
        _ when LanguageAnalyzer.IsLatin(language) => ("standard_255", ["plural_s", "lowercase", "asciifolding"]),
        _ => throw new ArgumentException($"Unknown language '{language}'.", nameof(language)),
    };

    private static JsonObject Analyzer(string tokenizer, IEnumerable<string> filters) => new()
    {
        ["type"] = "custom",
        ["tokenizer"] = tokenizer,
        ["filter"] = new JsonArray([.. filters.Select(f => (JsonNode)f)]),
    };

    /// <summary>
    /// One equivalence rule per concept with at least two labels in <paramref name="language"/> (Solr syntax, commas and
    /// the other special characters of a label escaped), in concept id order so the settings are reproducible.
    /// </summary>
    public static IReadOnlyList<string> SynonymRules(Thesaurus thesaurus, string language) =>
        thesaurus.Concepts.OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => (c.Labels.GetValueOrDefault(language) ?? [])
                .Select(l => TextNormalization.Text(l).Trim())
                .Where(l => l.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList())
            .Where(labels => labels.Count > 1)
            .Select(labels => string.Join(", ", labels.Select(EscapeSynonym)))
            .ToList();

    private static string EscapeSynonym(string label)
    {
        var escaped = new StringBuilder(label.Length + 4);
        foreach (var c in label)
        {
            if (c is '\\' or ',' or '=' or '>' or '#')
            {
                escaped.Append('\\');
            }
            escaped.Append(c is '\r' or '\n' ? ' ' : c);
        }
        return escaped.ToString();
    }

    /// <summary>Where the index records the <see cref="Thesaurus.Fingerprint"/> it was created with (mapping metadata).</summary>
    public const string ThesaurusMeta = "thesaurus";

    private static JsonObject Mappings(Thesaurus thesaurus)
    {
        var properties = new JsonObject
        {
            ["id"] = Keyword(),
            ["version"] = new JsonObject { ["type"] = "long" },
            ["deleted"] = new JsonObject { ["type"] = "boolean" },
            ["languages"] = Keyword(),
            // Facets and numbers have caller-chosen names: keyword and double through the dynamic templates.
            ["facets"] = new JsonObject { ["type"] = "object", ["dynamic"] = true },
            ["numbers"] = new JsonObject { ["type"] = "object", ["dynamic"] = true },
            // Returned with each hit, never searched.
            ["stored"] = new JsonObject { ["type"] = "object", ["enabled"] = false },
        };
        foreach (var language in LanguageAnalyzer.Languages)
        {
            foreach (var part in Parts)
            {
                properties[TextField(part, language)] = new JsonObject
                {
                    ["type"] = "text",
                    ["analyzer"] = "text_" + language,
                    ["search_analyzer"] = "search_" + language,
                    ["index_options"] = "offsets", // highlights without re-analysing the text
                };
            }
            properties[ConceptField(language)] = Keyword();
            properties[MainConceptField(language)] = Keyword();
            properties[CompletionField(language)] = new JsonObject { ["type"] = "keyword", ["ignore_above"] = 2000 };
        }
        return new JsonObject
        {
            // The thesaurus of the synonyms above and of the documents' concepts (ElasticsearchSearchEngine.ThesaurusOutdatedAsync).
            ["_meta"] = new JsonObject { [ThesaurusMeta] = thesaurus.Fingerprint },
            ["dynamic"] = "strict",
            ["dynamic_templates"] = new JsonArray(
                new JsonObject { ["facets"] = new JsonObject { ["path_match"] = "facets.*", ["mapping"] = Keyword() } },
                new JsonObject { ["numbers"] = new JsonObject { ["path_match"] = "numbers.*", ["mapping"] = new JsonObject { ["type"] = "double" } } }),
            ["properties"] = properties,
        };
    }

    private static JsonObject Keyword() => new() { ["type"] = "keyword" };
}
