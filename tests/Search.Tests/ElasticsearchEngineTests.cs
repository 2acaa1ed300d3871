using System.Net;
using System.Text.Json.Nodes;
using TransferHub.Search.Analysis;
using TransferHub.Search.Concepts;
using TransferHub.Search.Elasticsearch;

namespace TransferHub.Search.Tests;

/// <summary>
/// The Elasticsearch engine against recorded Elasticsearch 8.x answers (<c>Recorded/*.json</c>, replayed by
/// <see cref="ElasticsearchRecording"/>): what it sends (paths, versions, analysis settings, bulk lines, query DSL,
/// aggregations, highlights) and how it reads what comes back (hits, named queries, explanations, buckets, bulk items,
/// version conflicts, errors, retries). The same behaviours run against a real server in
/// <see cref="ElasticsearchContainerTests"/>.
/// </summary>
public sealed class ElasticsearchEngineTests
{
    /// <summary>A thesaurus written for these tests: synonyms in en, zh and vi; concepts in several scripts.</summary>
    internal static readonly Thesaurus Concepts = new(
    [
        new Concept("energy.solar-dryer", "green-energy", new Dictionary<string, IReadOnlyList<string>>
        {
            ["zh"] = ["太阳能干燥", "太阳能烘干"], ["en"] = ["solar dryer", "solar drying"], ["th"] = ["เครื่องอบแห้งพลังงานแสงอาทิตย์"],
            ["vi"] = ["máy sấy năng lượng mặt trời"], ["my"] = ["နေရောင်ခြည်သုံး အခြောက်ခံစက်"],
        }),
        new Concept("agri.coffee", "plateau-agriculture", new Dictionary<string, IReadOnlyList<string>>
        {
            ["zh"] = ["咖啡"], ["en"] = ["coffee"], ["th"] = ["กาแฟ"], ["vi"] = ["cà phê"], ["km"] = ["កាហ្វេ"],
        }),
        new Concept("agri.tea", "plateau-agriculture", new Dictionary<string, IReadOnlyList<string>>
        {
            ["zh"] = ["茶叶"], ["en"] = ["tea"], ["vi"] = ["chè", "trà"],
        }),
    ]);

    private static readonly ElasticsearchOptions Options = new(new Uri("http://elasticsearch:9200")) { RetryDelay = TimeSpan.FromMilliseconds(1) };

    private static ElasticsearchSearchEngine Engine(ElasticsearchRecording es, ElasticsearchOptions? options = null, TimeProvider? time = null) =>
        new(es.Client(), "technologies", Concepts, options ?? Options, time);

    private static SearchDocument Doc(string id, long version, string language, string title, string summary, params string[] keywords) =>
        new(id, version, [new LocalizedText(language, title, summary, keywords)],
            new Dictionary<string, IReadOnlyList<string>> { ["field"] = ["green-energy"], ["country"] = ["LA"], ["language"] = [language] },
            new Dictionary<string, string> { ["title"] = title });

    [Fact]
    public async Task First_use_creates_the_index_with_each_languages_analysis_and_writes_with_external_versions()
    {
        var es = ElasticsearchRecording.Load("create-and-index");
        using var engine = Engine(es);
        var zawgyi = "ျမန္မာ နည္းပညာ";
        Assert.True(Zawgyi.IsZawgyi(zawgyi));

        Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(new SearchDocument("zh-1", 3,
            [
                new LocalizedText("zh", "咖啡豆太阳能干燥设备", "利用太阳能干燥咖啡豆。", ["咖啡"]),
                new LocalizedText("en", "Solar dryer for coffee beans", "Halves drying time.", ["coffee", "solar dryer"]),
            ],
            new Dictionary<string, IReadOnlyList<string>> { ["field"] = ["green-energy", "plateau-agriculture"], ["country"] = ["CN"], ["trl"] = ["6"] },
            new Dictionary<string, string> { ["title"] = "咖啡豆太阳能干燥设备", ["owner"] = "Yunnan University" },
            new Dictionary<string, double> { ["price"] = 12000, ["published"] = 1767225600, ["nan"] = double.NaN })));
        Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(Doc("my-1", 1, "my", zawgyi, zawgyi)));
        es.AssertComplete();

        // The index: one physical index behind the collection's alias, the analysis of LanguageAnalyzer per language.
        var index = es.Body(1);
        var analysis = index["settings"]!["analysis"]!;
        Assert.Equal(LanguageAnalyzer.Languages.Count * 2, analysis["analyzer"]!.AsObject().Count);
        foreach (var language in LanguageAnalyzer.Languages)
        {
            var text = analysis["analyzer"]!["text_" + language]!;
            var search = analysis["analyzer"]!["search_" + language]!;
            var expected = language switch
            {
                "th" or "lo" or "km" or "my" => ("icu_tokenizer", new[] { "lowercase", "asciifolding" }),
                "zh" => ("standard_255", ["cjk_width", "lowercase", "zh_bigrams", "asciifolding"]),
                "hi" or "ne" => ("standard_255", ["joiners", "lowercase", "indic_normalization", "hindi_normalization", "asciifolding"]),
                "bn" or "ta" => ("standard_255", ["joiners", "lowercase", "indic_normalization", "asciifolding"]),
                "si" => ("standard_255", ["joiners", "lowercase", "asciifolding"]),
                "ur" => ("standard_255", ["lowercase", "arabic_normalization", "persian_normalization", "asciifolding"]),
                "en" or "vi" or "id" or "ms" or "fil" => ("standard_255", ["plural_s", "lowercase", "asciifolding"]),
                _ => throw new InvalidOperationException(language),
            };
            Assert.Equal(expected.Item1, (string)text["tokenizer"]!);
            Assert.Equal(expected.Item2, text["filter"]!.AsArray().Select(f => (string)f!));
            Assert.Equal(expected.Item1, (string)search["tokenizer"]!);
            var synonyms = language is "en" or "zh" or "vi";
            Assert.Equal(synonyms, search["filter"]!.AsArray().Any(f => (string)f! == "synonyms_" + language));
            foreach (var part in new[] { "title", "keywords", "summary" })
            {
                var field = index["mappings"]!["properties"]![$"{part}_{language}"]!;
                Assert.Equal("text", (string)field["type"]!);
                Assert.Equal("text_" + language, (string)field["analyzer"]!);
                Assert.Equal("search_" + language, (string)field["search_analyzer"]!);
            }
            Assert.Equal("keyword", (string)index["mappings"]!["properties"]!["concept_" + language]!["type"]!);
        }
        // Chinese: unigrams and bigrams indexed (a one-character query matches), bigrams searched, synonyms after them.
        Assert.Equal(["cjk_width", "lowercase", "zh_bigrams_search", "asciifolding", "synonyms_zh"],
            analysis["analyzer"]!["search_zh"]!["filter"]!.AsArray().Select(f => (string)f!));
        Assert.True((bool)analysis["filter"]!["zh_bigrams"]!["output_unigrams"]!);
        Assert.False((bool)analysis["filter"]!["zh_bigrams_search"]!["output_unigrams"]!);
        // Latin-script languages: Lucene's EnglishMinimalStemFilter ("pumps" = "pump")
        Assert.Equal("minimal_english", (string)analysis["filter"]!["plural_s"]!["language"]!);
        // the thesaurus it was created with, for ThesaurusOutdatedAsync
        Assert.Equal(Concepts.Fingerprint, (string)index["mappings"]!["_meta"]!["thesaurus"]!);
        // Sinhala and Indic: zero-width joiner and non-joiner removed (JoinerRemovalFilter), as a Java regex.
        Assert.Equal("pattern_replace", (string)analysis["filter"]!["joiners"]!["type"]!);
        Assert.Equal(@"[\u200C\u200D]", (string)analysis["filter"]!["joiners"]!["pattern"]!);
        Assert.Equal("", (string)analysis["filter"]!["joiners"]!["replacement"]!);
        // One synonym rule per concept and language with two or more labels, from the thesaurus.
        Assert.Equal(["solar dryer, solar drying"], analysis["filter"]!["synonyms_en"]!["synonyms"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["太阳能干燥, 太阳能烘干"], analysis["filter"]!["synonyms_zh"]!["synonyms"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["chè, trà"], analysis["filter"]!["synonyms_vi"]!["synonyms"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("synonym_graph", (string)analysis["filter"]!["synonyms_vi"]!["type"]!);
        Assert.Null(analysis["filter"]!["synonyms_th"]);

        // The documents: external versions, waiting until searchable, concepts computed with the thesaurus, Burmese in Unicode.
        Assert.Equal("/technologies/_doc/zh-1?version=3&version_type=external&refresh=wait_for&require_alias=true", es.Requests[2].Path);
        var zh = es.Body(2);
        Assert.Equal(Concepts.ConceptsOf(new SearchDocument("x", 1, [new LocalizedText("zh", "咖啡豆太阳能干燥设备", "利用太阳能干燥咖啡豆。", ["咖啡"])],
            new Dictionary<string, IReadOnlyList<string>>()))["zh"].Mentioned, zh["concept_zh"]!.AsArray().Select(c => (string)c!));
        Assert.Null(zh["numbers"]!["nan"]);
        var burmese = es.Body(3);
        Assert.Equal(Zawgyi.ToUnicode(zawgyi), (string)burmese["title_my"]!);
        Assert.NotEqual(zawgyi, (string)burmese["title_my"]!);
    }

    [Fact]
    public async Task An_index_created_with_another_thesaurus_is_outdated_and_a_missing_one_is_not()
    {
        // the recording's indexes: one created with this thesaurus (its fingerprint: a change of Thesaurus.MatchingVersion
        // changes it, and then the recording), one with an older one, one from before _meta was written; then none
        Assert.Equal("f920f70b3e7d9f4c", Concepts.Fingerprint);
        var es = ElasticsearchRecording.Load("thesaurus-outdated");
        using var engine = Engine(es);
        Assert.False(await engine.ThesaurusOutdatedAsync());
        Assert.True(await engine.ThesaurusOutdatedAsync());
        Assert.True(await engine.ThesaurusOutdatedAsync());
        Assert.False(await engine.ThesaurusOutdatedAsync());
        es.AssertComplete();
    }

    [Fact]
    public async Task An_existing_index_is_used_as_it_is_and_one_created_meanwhile_by_another_process_is_not_an_error()
    {
        var es = ElasticsearchRecording.Load("existing-index");
        using (var engine = Engine(es))
        {
            Assert.Equal(1, (await engine.SearchAsync(new SearchQuery(null))).Total);
            Assert.Equal(1, (await engine.SearchAsync(new SearchQuery(null))).Total); // the index is checked once
        }
        using (var racing = Engine(es))
        {
            Assert.Equal(WriteOutcome.Applied, await racing.IndexAsync(Doc("t", 1, "en", "Solar pump", "x")));
        }
        es.AssertComplete();
    }

    [Fact]
    public async Task An_index_deleted_behind_the_engines_back_is_created_again()
    {
        var es = ElasticsearchRecording.Load("index-deleted");
        using var engine = Engine(es);
        Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(Doc("t", 1, "en", "Solar pump", "x")));
        Assert.Equal(3, (await engine.SearchAsync(new SearchQuery(null))).Total);
        es.AssertComplete();
    }

    [Fact]
    public async Task A_conflict_is_a_stale_write_and_a_deletion_is_a_tombstone_with_its_version()
    {
        var es = ElasticsearchRecording.Load("versions");
        using var engine = Engine(es);
        Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(Doc("t", 2, "en", "Solar pump", "v2")));
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Doc("t", 1, "en", "Wind turbine", "v1")));
        Assert.Equal(WriteOutcome.Stale, await engine.DeleteAsync("t", 2));
        Assert.Equal(WriteOutcome.Applied, await engine.DeleteAsync("t", 3));
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Doc("t", 3, "en", "Solar pump", "redelivered")));
        es.AssertComplete();

        var tombstone = es.Body(4);
        Assert.Equal("""{"id":"t","version":3,"deleted":true}""", tombstone.ToJsonString());
    }

    [Fact]
    public async Task Too_many_requests_and_unavailable_answers_are_retried_with_the_same_request()
    {
        var es = ElasticsearchRecording.Load("retry");
        using var engine = Engine(es);
        Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(Doc("t", 1, "en", "Solar pump", "x")));
        Assert.Equal(3, (await engine.SearchAsync(new SearchQuery("solar pump"))).Total);
        es.AssertComplete();
        Assert.Equal(es.Requests[1], es.Requests[2]); // the 429'd write, sent again as it was
        Assert.Equal(es.Requests[3], es.Requests[4]); // the 503'd search
    }

    [Fact]
    public async Task When_retries_run_out_the_clusters_error_is_thrown()
    {
        var es = ElasticsearchRecording.Load("retry-exhausted");
        using var engine = Engine(es, Options with { MaxRetries = 2 });
        var error = await Assert.ThrowsAsync<ElasticsearchException>(() => engine.IndexAsync(Doc("t", 1, "en", "Solar pump", "x")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal("unavailable_shards_exception", error.ErrorType);
        Assert.Contains("primary shard is not active", error.Message);
        es.AssertComplete();
    }

    [Fact]
    public async Task A_bulk_write_counts_conflicts_as_stale_and_sends_rejected_items_again()
    {
        var es = ElasticsearchRecording.Load("bulk");
        using var engine = Engine(es);
        var applied = await engine.BulkAsync([
            Doc("a", 4, "en", "Old solar dryer", "v4"),
            Doc("b", 1, "en", "Solar kiln", "v1"),
            Doc("c", 1, "en", "Solar still", "v1"),
        ]);
        Assert.Equal(2, applied);
        es.AssertComplete();
        Assert.Equal(6, es.Lines(1).Count);
        Assert.Equal(2, es.Lines(2).Count); // only the item answered 429
    }

    [Fact]
    public async Task A_search_is_one_named_clause_per_language_with_concepts_filters_facets_a_stable_sort_and_highlights()
    {
        var es = ElasticsearchRecording.Load("search");
        using var engine = Engine(es);
        var result = await engine.SearchAsync(new SearchQuery("coffee dryer",
            new Dictionary<string, IReadOnlyList<string>> { ["country"] = ["TH", "VN"] }, ["field", "country"], Page: 2, PageSize: 10,
            Highlight: true, Explain: true));
        es.AssertComplete();

        var body = es.Body(1);
        var languages = body["query"]!["bool"]!["must"]![0]!["bool"]!["should"]!.AsArray();
        Assert.Equal(LanguageAnalyzer.Languages.Select(l => "lang:" + l), languages.Select(l => (string)l!["bool"]!["_name"]!));
        foreach (var clause in languages)
        {
            var language = ((string)clause!["bool"]!["_name"]!)[5..];
            var text = clause["bool"]!["should"]![0]!["multi_match"]!;
            Assert.Equal("coffee dryer", (string)text["query"]!);
            Assert.Equal([$"title_{language}^3", $"keywords_{language}^2", $"summary_{language}"], text["fields"]!.AsArray().Select(f => (string)f!));
            var concepts = clause["bool"]!["should"]![1]!["bool"]!;
            Assert.Equal("agri.coffee", (string)concepts["should"]![0]!["term"]!["concept_" + language]!);
        }
        Assert.DoesNotContain("query_string", es.Requests[1].Body);

        Assert.Equal(12, result.Total);
        Assert.Equal(["zh-1", "vi-1"], result.Hits.Select(h => h.Id));
        var zh = result.Hits[0];
        Assert.Equal(4.2069f, zh.Score);
        Assert.Equal(["zh", "en"], zh.MatchedLanguages); // in the order of LanguageAnalyzer.Languages
        Assert.Equal(["agri.coffee"], zh.MatchedConcepts);
        Assert.Equal("咖啡豆太阳能干燥设备", zh.Stored["title"]);
        Assert.Equal("<mark>咖啡</mark>豆太阳能干燥设备", zh.Highlights!["title"]); // the first matched language's text
        Assert.Equal("利用太阳能干燥<mark>咖啡</mark>豆。", zh.Highlights["summary"]);
        Assert.StartsWith("4.2069 = sum of:\n  3.1 = max of:\n    3.1 = weight(title_en:coffee in 3) [PerFieldSimilarity], result of:\n", zh.Explanation);
        var vi = result.Hits[1];
        Assert.Equal(["vi"], vi.MatchedLanguages);
        Assert.Equal("Xử lý nước thải <mark>cà phê</mark> &amp; chè", vi.Highlights!["title"]);
        Assert.Equal([new FacetCount("plateau-agriculture", 7), new FacetCount("green-energy", 5)], result.Facets["field"]);
        Assert.Equal([new FacetCount("TH", 8), new FacetCount("VN", 4)], result.Facets["country"]);
        Assert.Null(result.DidYouMean);
    }

    [Fact]
    public async Task A_sort_by_a_number_puts_documents_without_it_last_then_orders_by_id()
    {
        var es = ElasticsearchRecording.Load("sort");
        using var engine = Engine(es);
        var result = await engine.SearchAsync(new SearchQuery("coffee", PageSize: 3, Sort: new SortBy("price", Descending: false)));
        es.AssertComplete();
        Assert.Equal(["d01", "d02", "d00"], result.Hits.Select(h => h.Id));
        Assert.All(result.Hits, h => Assert.True(h.Score > 0));
        Assert.All(result.Hits, h => Assert.Null(h.Highlights));
        Assert.All(result.Hits, h => Assert.Null(h.Explanation));
    }

    [Fact]
    public async Task Few_hits_ask_for_did_you_mean_and_a_correction_that_finds_more_is_offered()
    {
        var es = ElasticsearchRecording.Load("did-you-mean");
        using var engine = Engine(es);
        var result = await engine.SearchAsync(new SearchQuery("grapheen coating"));
        es.AssertComplete();
        Assert.Equal(0, result.Total);
        Assert.Equal("graphene coating", result.DidYouMean);
    }

    [Fact]
    public async Task Fewer_hits_than_a_page_run_the_query_again_relaxed_to_some_of_its_words_at_a_lower_boost()
    {
        var es = ElasticsearchRecording.Load("relaxed");
        using var engine = Engine(es);
        const string need = "borehole pump for smallholder farms in mountains";
        var result = await engine.SearchAsync(new SearchQuery(need));
        es.AssertComplete();
        Assert.True(result.Relaxed);
        Assert.Equal("pump", Assert.Single(result.Hits).Id);
        Assert.Equal(["en"], result.Hits[0].MatchedLanguages);

        JsonArray Clauses(int request, string language) => es.Body(request)["query"]!["bool"]!["must"]![0]!["bool"]!["should"]!.AsArray()
            .Single(c => (string)c!["bool"]!["_name"]! == "lang:" + language)!["bool"]!["should"]!.AsArray();
        var strict = Assert.Single(Clauses(1, "en"));
        Assert.Equal("-30%", (string)strict!["multi_match"]!["minimum_should_match"]!);
        var relaxed = Clauses(2, "en"); // no "did you mean" request in between: seven words are more than DidYouMean.MaxWords
        Assert.Equal(2, relaxed.Count);
        Assert.Equal(need, (string)relaxed[1]!["multi_match"]!["query"]!);
        Assert.Equal(2, (int)relaxed[1]!["multi_match"]!["minimum_should_match"]!); // 2 of 7 words
        Assert.Equal(SearchRelaxation.Boost, (float)relaxed[1]!["multi_match"]!["boost"]!);
    }

    [Fact]
    public async Task Autocomplete_is_a_prefix_query_with_a_terms_aggregation_per_language()
    {
        var es = ElasticsearchRecording.Load("suggest");
        using var engine = Engine(es);
        Assert.Empty(await engine.SuggestAsync("   "));
        var suggestions = await engine.SuggestAsync("Cong ng");
        es.AssertComplete();
        // most documents first, then the shorter text
        Assert.Equal([new Suggestion("Công nghệ sấy cà phê", "vi", 2), new Suggestion("Công nghệ", "ms", 1),
            new Suggestion("công nghệ sinh học", "vi", 1)], suggestions);
    }

    [Fact]
    public async Task A_rebuild_fills_a_new_index_keeps_tombstones_then_swaps_the_alias_atomically_and_deletes_the_old_index()
    {
        var es = ElasticsearchRecording.Load("rebuild");
        using var engine = Engine(es, Options with { BulkBatchSize = 2 }, new FixedTime(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)));
        var reports = new List<int>();
        var count = await engine.RebuildAsync(Source(), new SearchEngineContract.SynchronousProgress(seen =>
        {
            reports.Add(seen);
            if (seen == 2)
            {
                // A write while the rebuild runs reaches the old index (searched now) and the new one.
                Assert.Equal(WriteOutcome.Applied, engine.IndexAsync(Doc("live", 1, "en", "Written during the rebuild", "x")).GetAwaiter().GetResult());
            }
        }));
        es.AssertComplete();
        Assert.Equal(3, count);
        Assert.Equal([2, 3], reports);

        static async IAsyncEnumerable<SearchDocument> Source()
        {
            yield return Doc("kept", 6, "en", "Renewed title", "x");
            await Task.Yield();
            yield return Doc("n0", 1, "en", "Item 0", "bulk");
            yield return Doc("n1", 1, "en", "Item 1", "bulk");
        }
    }

    [Fact]
    public async Task A_failed_rebuild_deletes_its_new_index_and_leaves_the_alias_alone()
    {
        var es = ElasticsearchRecording.Load("rebuild-failure");
        using var engine = Engine(es, time: new FixedTime(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)));
        var error = await Assert.ThrowsAsync<ElasticsearchException>(() => engine.RebuildAsync(Source()));
        Assert.Equal("document_parsing_exception", error.ErrorType);
        Assert.Contains("'n0'", error.Message);
        es.AssertComplete();

        static async IAsyncEnumerable<SearchDocument> Source()
        {
            await Task.Yield();
            yield return Doc("n0", 1, "en", "Item 0", "bulk");
        }
    }

    [Fact]
    public async Task Odd_query_text_goes_into_structured_json_never_into_query_string_syntax()
    {
        var es = ElasticsearchRecording.Load("odd-text");
        using var engine = Engine(es);
        const string odd = "\"solar\" AND (dryer OR kiln) [TRL:5] {x} ~2 \\ / * ? <script>alert(1)</script> 咖啡 &&";
        var result = await engine.SearchAsync(new SearchQuery(odd, PageSize: 1));
        es.AssertComplete();
        Assert.Equal(5, result.Total);
        var body = es.Requests[1].Body!;
        Assert.DoesNotContain("query_string", body);
        var texts = es.Body(1)["query"]!["bool"]!["must"]![0]!["bool"]!["should"]!.AsArray()
            .Select(l => (string)l!["bool"]!["should"]![0]!["multi_match"]!["query"]!).ToList();
        Assert.NotEmpty(texts);
        Assert.All(texts, t => Assert.Equal(odd, t));
    }

    [Fact]
    public async Task A_refused_request_throws_the_clusters_error_type_and_reason_without_retrying()
    {
        var es = ElasticsearchRecording.Load("error");
        using var engine = Engine(es);
        var error = await Assert.ThrowsAsync<ElasticsearchException>(() => engine.SearchAsync(new SearchQuery("solar")));
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("search_phase_execution_exception", error.ErrorType);
        Assert.Contains("query_shard_exception", error.Reason);
        es.AssertComplete();
    }

    [Fact]
    public void Suggestion_keys_and_regular_expressions_are_literal()
    {
        Assert.Equal("cong nghe say", ElasticsearchSearchEngine.SuggestKey("  Công   nghệ SẤY "));
        Assert.Equal("cong\\ ng\\.\\*\\(x\\)", ElasticsearchSearchEngine.RegexLiteral("cong ng.*(x)"));
        Assert.Equal("เครื่องอบ", ElasticsearchSearchEngine.RegexLiteral("เครื่องอบ").Replace("\\", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_never_print_secrets_and_make_a_client_with_credentials()
    {
        var options = new ElasticsearchOptions(new Uri("https://es.example:9200"), "th-", "elastic", "s3cret");
        Assert.DoesNotContain("s3cret", options.ToString());
        using var http = options.CreateHttpClient();
        Assert.Equal("Basic", http.DefaultRequestHeaders.Authorization?.Scheme);
        Assert.Equal(new Uri("https://es.example:9200/"), http.BaseAddress);
        using var engine = new ElasticsearchSearchEngine(http, "technologies", Concepts, options);
        Assert.Equal("th-technologies", engine.Alias);
        Assert.Throws<ArgumentException>(() => new ElasticsearchSearchEngine(http, "Bad Name", Concepts, options));
    }


    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
