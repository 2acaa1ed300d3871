using System.Text.Json.Nodes;
using TransferHub.Search.Elasticsearch;

namespace TransferHub.Search.Tests;

/// <summary>
/// The Elasticsearch engine against a real Elasticsearch 8.15.3 with analysis-icu (<see cref="ElasticsearchServer"/>):
/// the behaviours the Lucene engine has, on a collection of its own per test. Skipped, with the reason, where no Docker
/// engine (and no <c>TH_TEST_ELASTICSEARCH_URL</c>) is reachable.
/// </summary>
public sealed class ElasticsearchContainerTests(ElasticsearchServer server) : IClassFixture<ElasticsearchServer>
{
    private readonly string collection = "c" + Guid.NewGuid().ToString("N")[..12];

    private ElasticsearchSearchEngine Open(int bulkBatchSize = 500) => server.Open(collection, ElasticsearchEngineTests.Concepts, bulkBatchSize);

    private static SearchDocument Doc(string id, long version, string language, string title, string summary, string field, string country,
        params LocalizedText[] translations) =>
        new(id, version, [new LocalizedText(language, title, summary, []), .. translations],
            new Dictionary<string, IReadOnlyList<string>> { ["field"] = [field], ["country"] = [country], ["language"] = [language] });

    private static SearchDocument Feature(string id, string language, string title, string summary, double? price = null, params string[] keywords) =>
        new(id, 1, [new LocalizedText(language, title, summary, keywords)],
            new Dictionary<string, IReadOnlyList<string>> { ["language"] = [language] },
            new Dictionary<string, string> { ["title"] = title },
            price is { } p ? new Dictionary<string, double> { ["price"] = p } : null);

    private static async Task SeedAsync(ISearchEngine engine)
    {
        await engine.IndexAsync(Doc("th-1", 1, "th", "การถ่ายทอดเทคโนโลยีพลังงานสีเขียว", "ระบบสูบน้ำพลังงานแสงอาทิตย์สำหรับเกษตรกร", "green-energy", "TH"));
        await engine.IndexAsync(Doc("vi-1", 1, "vi", "Công nghệ xử lý nước thải cà phê", "Xử lý nước thải chế biến cà phê ướt", "plateau-agriculture", "VN"));
        await engine.IndexAsync(Doc("zh-1", 1, "zh", "高原特色农业技术转移", "咖啡湿法加工废水资源化处理", "plateau-agriculture", "CN",
            new LocalizedText("en", "Highland agriculture technology transfer", "Coffee wastewater treatment", ["coffee", "wastewater"])));
        await engine.IndexAsync(Doc("my-1", 1, "my", "နည်းပညာလွှဲပြောင်းခြင်း", "ဆိုလာစွမ်းအင်", "green-energy", "MM"));
    }

    [ElasticsearchFact]
    public async Task Each_language_finds_its_documents_and_the_hit_says_which_language_matched()
    {
        using var engine = Open();
        await SeedAsync(engine);

        var thai = await engine.SearchAsync(new SearchQuery("พลังงานสีเขียว"));
        Assert.Equal("th-1", Assert.Single(thai.Hits).Id);
        Assert.Equal(["th"], thai.Hits[0].MatchedLanguages);

        Assert.Equal("vi-1", (await engine.SearchAsync(new SearchQuery("cong nghe nuoc thai"))).Hits[0].Id);

        var chinese = await engine.SearchAsync(new SearchQuery("农业"));
        Assert.Equal("zh-1", Assert.Single(chinese.Hits).Id);
        Assert.Contains("zh", chinese.Hits[0].MatchedLanguages);

        var translation = await engine.SearchAsync(new SearchQuery("coffee wastewater"));
        Assert.Equal("zh-1", translation.Hits[0].Id);
        Assert.Equal(["en", "zh"], translation.Hits[0].MatchedLanguages.Order());

        Assert.Equal("my-1", Assert.Single((await engine.SearchAsync(new SearchQuery("လွှဲပြောင်း"))).Hits).Id);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("ทุเรียน"))).Hits);
    }

    [ElasticsearchFact]
    public async Task An_older_version_never_overwrites_a_newer_one_and_a_deletion_holds_against_older_updates()
    {
        using var engine = Open();
        Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(Doc("t", 2, "en", "Solar pump", "v2", "green-energy", "LA")));
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Doc("t", 1, "en", "Wind turbine", "v1", "green-energy", "LA")));
        Assert.Single((await engine.SearchAsync(new SearchQuery("solar"))).Hits);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("turbine"))).Hits);

        Assert.Equal(WriteOutcome.Stale, await engine.DeleteAsync("t", 2));
        Assert.Equal(WriteOutcome.Applied, await engine.DeleteAsync("t", 3));
        Assert.Empty((await engine.SearchAsync(new SearchQuery("solar"))).Hits);
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Doc("t", 3, "en", "Solar pump", "redelivered", "green-energy", "LA")));
        Assert.Equal(0, (await engine.SearchAsync(new SearchQuery(null))).Total);
        Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(Doc("t", 4, "en", "Solar pump", "published again", "green-energy", "LA")));
        Assert.Single((await engine.SearchAsync(new SearchQuery("solar"))).Hits);
    }

    [ElasticsearchFact]
    public async Task Filters_narrow_and_facets_count_every_match()
    {
        using var engine = Open();
        await SeedAsync(engine);
        var all = await engine.SearchAsync(new SearchQuery(null, Facets: ["field", "country"]));
        Assert.Equal(4, all.Total);
        Assert.Equal([new FacetCount("green-energy", 2), new FacetCount("plateau-agriculture", 2)], all.Facets["field"]);
        Assert.Equal(4, all.Facets["country"].Count);

        var filtered = await engine.SearchAsync(new SearchQuery(null,
            new Dictionary<string, IReadOnlyList<string>> { ["field"] = ["plateau-agriculture"], ["country"] = ["VN", "TH"] }, ["language", "unknown"]));
        Assert.Equal("vi-1", Assert.Single(filtered.Hits).Id);
        Assert.Equal([new FacetCount("vi", 1)], filtered.Facets["language"]);
        Assert.Empty(filtered.Facets["unknown"]);
    }

    [ElasticsearchFact]
    public async Task A_bulk_write_is_version_checked_per_document()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("a", 5, "en", "Solar dryer", "v5", "green-energy", "LA"));
        var applied = await engine.BulkAsync([
            Doc("a", 4, "en", "Old solar dryer", "v4", "green-energy", "LA"),
            Doc("b", 1, "en", "Solar kiln", "v1", "green-energy", "LA"),
            Doc("c", 1, "en", "Solar still", "v1", "green-energy", "VN"),
        ]);
        Assert.Equal(2, applied);
        Assert.Equal(3, (await engine.SearchAsync(new SearchQuery("solar"))).Total);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("old"))).Hits);
    }

    [ElasticsearchFact]
    public async Task Sorting_by_a_number_puts_missing_values_last_and_pages_never_overlap_or_skip()
    {
        using var engine = Open();
        await engine.BulkAsync(Enumerable.Range(0, 45).Select(i => Feature($"d{i:D2}", "en", "coffee dryer", "same text for all", i % 3 == 0 ? null : i * 10)));

        var byPrice = await engine.SearchAsync(new SearchQuery("coffee", PageSize: 45, Sort: new SortBy("price", Descending: false)));
        var ids = byPrice.Hits.Select(h => h.Id).ToList();
        Assert.Equal("d01", ids[0]);
        Assert.All(ids.TakeLast(15), id => Assert.Equal(0, int.Parse(id[1..]) % 3));
        Assert.Equal("d44", (await engine.SearchAsync(new SearchQuery("coffee", PageSize: 1, Sort: new SortBy("price")))).Hits[0].Id);

        var paged = new List<string>();
        for (var page = 1; page <= 5; page++)
        {
            paged.AddRange((await engine.SearchAsync(new SearchQuery("coffee", Page: page, PageSize: 10))).Hits.Select(h => h.Id));
        }
        Assert.Equal(45, paged.Distinct().Count());
        Assert.Equal(paged, paged.Order(StringComparer.Ordinal));
    }

    [ElasticsearchFact]
    public async Task A_thai_query_finds_a_chinese_only_technology_through_the_concept_and_says_it_matched_in_chinese()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("zh-dryer", "zh", "咖啡豆太阳能干燥设备", "利用太阳能干燥咖啡豆，含水率降至12%。"));
        await engine.IndexAsync(Feature("vi-water", "vi", "Xử lý nước thải cà phê", "Nước thải chế biến cà phê ướt"));

        var hit = Assert.Single((await engine.SearchAsync(new SearchQuery("เครื่องอบแห้งพลังงานแสงอาทิตย์"))).Hits);
        Assert.Equal("zh-dryer", hit.Id);
        Assert.Equal(["zh"], hit.MatchedLanguages);
        Assert.Equal(["energy.solar-dryer"], hit.MatchedConcepts);

        var coffee = await engine.SearchAsync(new SearchQuery("កាហ្វេ"));
        Assert.Equal(["vi-water", "zh-dryer"], coffee.Hits.Select(h => h.Id).Order());
    }

    [ElasticsearchFact]
    public async Task A_zawgyi_query_finds_the_unicode_text_and_a_zawgyi_document_is_found_in_unicode()
    {
        using var engine = Open();
        const string unicode = "နေရောင်ခြည်သုံး အခြောက်ခံစက်";
        const string zawgyi = "\u1031\u1014\u1031\u101B\u102C\u1004\u1039\u103B\u1001\u100A\u1039\u101E\u102F\u1036\u1038\u0020\u1021\u1031\u103B\u1001\u102C\u1000\u1039\u1001\u1036\u1005\u1000\u1039";
        await engine.IndexAsync(Feature("my-unicode", "my", unicode, "x"));
        await engine.IndexAsync(Feature("my-zawgyi", "my", zawgyi, "y"));
        var hits = (await engine.SearchAsync(new SearchQuery(zawgyi))).Hits;
        Assert.Equal(["my-unicode", "my-zawgyi"], hits.Select(h => h.Id).Order());
        Assert.All(hits, h => Assert.Equal(["my"], h.MatchedLanguages));
    }

    [ElasticsearchFact]
    public async Task Highlights_mark_the_query_words_and_the_concept_labels_and_escape_the_rest()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("en-1", "en", "Solar dryer <for> coffee & cocoa", "A solar dryer that halves drying time for coffee beans."));
        await engine.IndexAsync(Feature("zh-1", "zh", "咖啡豆太阳能干燥设备", "利用太阳能干燥咖啡豆。"));

        var english = Assert.Single((await engine.SearchAsync(new SearchQuery("coffee", Highlight: true))).Hits, h => h.Id == "en-1");
        Assert.Equal("Solar dryer &lt;for&gt; <mark>coffee</mark> &amp; cocoa", english.Highlights!["title"]);
        Assert.Contains("<mark>coffee</mark>", english.Highlights["summary"]);

        var chinese = Assert.Single((await engine.SearchAsync(new SearchQuery("เครื่องอบแห้งพลังงานแสงอาทิตย์", Highlight: true))).Hits, h => h.Id == "zh-1");
        Assert.Contains("<mark>", chinese.Highlights!["title"]);
        Assert.Contains("太阳", chinese.Highlights["title"]);
        Assert.Null((await engine.SearchAsync(new SearchQuery("coffee"))).Hits[0].Highlights);
    }

    [ElasticsearchFact]
    public async Task An_explanation_is_given_only_when_asked()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("en-1", "en", "coffee dryer", "beans"));
        Assert.Contains("title_en:coffee", (await engine.SearchAsync(new SearchQuery("coffee", Explain: true))).Hits[0].Explanation);
        Assert.Null((await engine.SearchAsync(new SearchQuery("coffee"))).Hits[0].Explanation);
    }

    [ElasticsearchFact]
    public async Task A_misspelt_query_gets_did_you_mean_with_the_indexed_word()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("en-1", "en", "Graphene coating for steel", "Anticorrosion graphene coating"));
        await engine.IndexAsync(Feature("id-1", "id", "Pengeringan kopi", "Pengering kopi tenaga surya"));

        Assert.Equal("graphene coating", (await engine.SearchAsync(new SearchQuery("grapheen coating"))).DidYouMean);
        Assert.Null((await engine.SearchAsync(new SearchQuery("graphene coating"))).DidYouMean);
        Assert.Null((await engine.SearchAsync(new SearchQuery("zzzzqqq"))).DidYouMean);
    }

    [ElasticsearchFact]
    public async Task Autocomplete_completes_titles_and_keywords_in_any_script_ignoring_case_and_accents()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("vi-1", "vi", "Công nghệ sấy cà phê", "x", null, "công nghệ sinh học"));
        await engine.IndexAsync(Feature("vi-2", "vi", "Công nghệ sấy cà phê", "y"));
        await engine.IndexAsync(Feature("th-1", "th", "เครื่องอบแห้งพลังงานแสงอาทิตย์", "z"));

        var suggestions = await engine.SuggestAsync("cong ng");
        Assert.Equal(new Suggestion("Công nghệ sấy cà phê", "vi", 2), suggestions[0]);
        Assert.Equal(new Suggestion("công nghệ sinh học", "vi", 1), suggestions[1]);
        Assert.Equal("เครื่องอบแห้งพลังงานแสงอาทิตย์", Assert.Single(await engine.SuggestAsync("เครื่องอบ")).Text);
        Assert.Empty(await engine.SuggestAsync("[(.*"));

        await engine.DeleteAsync("vi-2", 2);
        Assert.Equal(1, (await engine.SuggestAsync("cong nghe say")).Single().Documents);
        Assert.Empty(await engine.SuggestAsync("   "));
    }

    [ElasticsearchFact]
    public async Task A_rebuild_swaps_in_a_new_index_reports_progress_keeps_tombstones_and_deletes_the_old_index()
    {
        using var engine = Open(bulkBatchSize: 500);
        await engine.IndexAsync(Feature("gone", "en", "obsolete coffee", "removed from the database"));
        await engine.IndexAsync(Feature("kept", "en", "old title coffee", "x") with { Version = 5 });
        var before = (await server.GetAsync("_alias/" + engine.Alias))!.AsObject().Select(p => p.Key).ToList();

        var reports = new List<int>();
        var count = await engine.RebuildAsync(Source(1200), new SynchronousProgress(reports.Add));

        Assert.Equal(1201, count);
        Assert.Contains(500, reports);
        Assert.Equal(1201, reports[^1]);
        Assert.Equal(1201, (await engine.SearchAsync(new SearchQuery(null))).Total);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("obsolete"))).Hits);
        Assert.Equal("kept", Assert.Single((await engine.SearchAsync(new SearchQuery("renewed"))).Hits).Id);
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Feature("gone", "en", "obsolete coffee", "redelivered")));
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Feature("kept", "en", "older", "x") with { Version = 5 }));

        var after = (await server.GetAsync("_alias/" + engine.Alias))!.AsObject().Select(p => p.Key).ToList();
        Assert.Single(after);
        Assert.DoesNotContain(after[0], before);
        Assert.All(before, old => Assert.Null(server.GetAsync(old).GetAwaiter().GetResult()));

        static async IAsyncEnumerable<SearchDocument> Source(int n)
        {
            yield return Feature("kept", "en", "renewed title", "x") with { Version = 6 };
            for (var i = 0; i < n; i++)
            {
                await Task.Yield();
                yield return Feature($"n{i}", "en", $"item {i}", "bulk");
            }
        }
    }

    [ElasticsearchFact]
    public async Task An_index_is_found_again_by_a_new_engine_with_its_versions()
    {
        using (var engine = Open())
        {
            await SeedAsync(engine);
        }
        using var reopened = Open();
        Assert.Equal(4, (await reopened.SearchAsync(new SearchQuery(null))).Total);
        Assert.Equal(WriteOutcome.Stale, await reopened.IndexAsync(Doc("th-1", 1, "th", "เก่า", "เก่า", "green-energy", "TH")));
    }

    [ElasticsearchFact]
    public async Task Odd_text_never_makes_the_server_fail()
    {
        using var engine = Open();
        await SeedAsync(engine);
        foreach (var text in new[]
        {
            "\"solar\" AND (dryer OR kiln) [TRL:5] {x} ~2 \\ / * ? <script>alert(1)</script>", "*", "\\", "((((", "title_en:solar", "🙂 ☕ 咖啡",
            new string('a', 500), string.Join(' ', Enumerable.Repeat("coffee", 100)), "\u200B\u200C", "ျမန္မာ",
        })
        {
            var result = await engine.SearchAsync(new SearchQuery(text, Facets: ["field"], Highlight: true, Explain: true));
            Assert.True(result.Total >= 0);
            await engine.SuggestAsync(text);
        }
    }

    [ElasticsearchFact]
    public async Task The_index_has_the_analysis_of_each_language()
    {
        using var engine = Open();
        await engine.EnsureIndexAsync();
        var index = (await server.GetAsync("_alias/" + engine.Alias))!.AsObject().Single().Key;
        var thai = await TokensAsync(index, "text_th", "การถ่ายทอดเทคโนโลยี"); // ICU's dictionary, whatever its version
        Assert.Contains("ถ่ายทอด", thai);
        Assert.Contains("เทคโนโลยี", thai);
        Assert.Equal(["cong", "nghe"], await TokensAsync(index, "text_vi", "Công nghệ"));
        Assert.Equal(["农", "农业", "业"], await TokensAsync(index, "text_zh", "农业"));
        Assert.Equal(["农业"], await TokensAsync(index, "search_zh", "农业"));
        Assert.Contains("drying", await TokensAsync(index, "search_en", "solar dryer"));
    }

    private async Task<List<string>> TokensAsync(string index, string analyzer, string text)
    {
        using var http = new HttpClient { BaseAddress = server.Url };
        using var response = await http.PostAsync($"{index}/_analyze",
            new StringContent(new JsonObject { ["analyzer"] = analyzer, ["text"] = text }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return [.. json["tokens"]!.AsArray().Select(t => (string)t!["token"]!)];
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
