using Lucene.Net.Store;
using TransferHub.Search.Lucene;

namespace TransferHub.Search.Tests;

/// <summary>Cross-lingual hits through concepts, highlights, sorting with stable pages, explanations, "did you mean", autocomplete, rebuilds.</summary>
public sealed class EngineFeatureTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), "th-search-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
    }

    private LuceneSearchEngine Open() => new(FSDirectory.Open(path), ThesaurusTests.Small);

    private static SearchDocument Doc(string id, string language, string title, string summary, double? price = null, params string[] keywords) =>
        new(id, 1, [new LocalizedText(language, title, summary, keywords)],
            new Dictionary<string, IReadOnlyList<string>> { ["language"] = [language] },
            new Dictionary<string, string> { ["title"] = title },
            price is { } p ? new Dictionary<string, double> { ["price"] = p } : null);

    [Fact]
    public async Task A_thai_query_finds_a_chinese_only_technology_through_the_concept_and_says_it_matched_in_chinese()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("zh-dryer", "zh", "咖啡豆太阳能干燥设备", "利用太阳能干燥咖啡豆，含水率降至12%。"));
        await engine.IndexAsync(Doc("vi-water", "vi", "Xử lý nước thải cà phê", "Nước thải chế biến cà phê ướt"));

        var result = await engine.SearchAsync(new SearchQuery("เครื่องอบแห้งพลังงานแสงอาทิตย์"));

        var hit = Assert.Single(result.Hits);
        Assert.Equal("zh-dryer", hit.Id);
        Assert.Equal(["zh"], hit.MatchedLanguages);
        Assert.Equal(["energy.solar-dryer"], hit.MatchedConcepts);

        // Both documents are about coffee: a Khmer query finds them in Chinese and in Vietnamese.
        var coffee = await engine.SearchAsync(new SearchQuery("កាហ្វេ"));
        Assert.Equal(["vi-water", "zh-dryer"], coffee.Hits.Select(h => h.Id).Order());
    }

    [Fact]
    public async Task Highlights_mark_the_query_words_and_the_concept_labels_and_escape_the_rest()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("en-1", "en", "Solar dryer <for> coffee & cocoa", "A solar dryer that halves drying time for coffee beans."));
        await engine.IndexAsync(Doc("zh-1", "zh", "咖啡豆太阳能干燥设备", "利用太阳能干燥咖啡豆。"));

        var direct = await engine.SearchAsync(new SearchQuery("coffee", Highlight: true));
        var english = Assert.Single(direct.Hits, h => h.Id == "en-1");
        Assert.Equal("Solar dryer &lt;for&gt; <mark>coffee</mark> &amp; cocoa", english.Highlights!["title"]);
        Assert.Contains("<mark>coffee</mark>", english.Highlights["summary"]);

        var crossLingual = await engine.SearchAsync(new SearchQuery("เครื่องอบแห้งพลังงานแสงอาทิตย์", Highlight: true));
        var chinese = Assert.Single(crossLingual.Hits, h => h.Id == "zh-1");
        Assert.Contains("<mark>", chinese.Highlights!["title"]);
        Assert.True(chinese.Highlights["title"].Contains("太阳", StringComparison.Ordinal), chinese.Highlights["title"]);
        Assert.Null((await engine.SearchAsync(new SearchQuery("coffee"))).Hits[0].Highlights);
    }

    [Fact]
    public async Task Sorting_by_a_number_puts_missing_values_last_and_pages_never_overlap_or_skip()
    {
        using var engine = Open();
        for (var i = 0; i < 45; i++)
        {
            await engine.BulkAsync([Doc($"d{i:D2}", "en", "coffee dryer", "same text for all", i % 3 == 0 ? null : i * 10)]);
        }

        var byPrice = await engine.SearchAsync(new SearchQuery("coffee", PageSize: 45, Sort: new SortBy("price", Descending: false)));
        var prices = byPrice.Hits.Select(h => h.Id).ToList();
        Assert.Equal("d01", prices[0]);
        Assert.All(prices.TakeLast(15), id => Assert.Equal(0, int.Parse(id[1..]) % 3));

        // Equal scores: pages of 10 in relevance order cover every document exactly once, in the same order every time.
        var paged = new List<string>();
        for (var page = 1; page <= 5; page++)
        {
            paged.AddRange((await engine.SearchAsync(new SearchQuery("coffee", Page: page, PageSize: 10))).Hits.Select(h => h.Id));
        }
        Assert.Equal(45, paged.Distinct().Count());
        Assert.Equal(paged, paged.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_explanation_is_given_only_when_asked()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("en-1", "en", "coffee dryer", "beans"));
        var explained = await engine.SearchAsync(new SearchQuery("coffee", Explain: true));
        Assert.Contains("title_en:coffee", explained.Hits[0].Explanation);
        Assert.Null((await engine.SearchAsync(new SearchQuery("coffee"))).Hits[0].Explanation);
    }

    [Fact]
    public async Task A_misspelt_query_gets_did_you_mean_with_the_indexed_word()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("en-1", "en", "Graphene coating for steel", "Anticorrosion graphene coating"));
        await engine.IndexAsync(Doc("id-1", "id", "Pengeringan kopi", "Pengering kopi tenaga surya"));

        var result = await engine.SearchAsync(new SearchQuery("grapheen coating"));
        Assert.Equal("graphene coating", result.DidYouMean);
        Assert.Null((await engine.SearchAsync(new SearchQuery("graphene coating"))).DidYouMean);
        Assert.Null((await engine.SearchAsync(new SearchQuery("zzzzqqq"))).DidYouMean);
    }

    [Fact]
    public async Task Autocomplete_completes_titles_and_keywords_in_any_script_ignoring_case_and_accents()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("vi-1", "vi", "Công nghệ sấy cà phê", "x", null, "công nghệ sinh học"));
        await engine.IndexAsync(Doc("vi-2", "vi", "Công nghệ sấy cà phê", "y"));
        await engine.IndexAsync(Doc("th-1", "th", "เครื่องอบแห้งพลังงานแสงอาทิตย์", "z"));

        var latin = await engine.SearchAsync(new SearchQuery(null));
        Assert.Equal(3, latin.Total);
        var suggestions = await engine.SuggestAsync("cong ng");
        Assert.Equal(new Suggestion("Công nghệ sấy cà phê", "vi", 2), suggestions[0]);
        Assert.Equal(new Suggestion("công nghệ sinh học", "vi", 1), suggestions[1]);
        Assert.Equal("เครื่องอบแห้งพลังงานแสงอาทิตย์", Assert.Single(await engine.SuggestAsync("เครื่องอบ")).Text);

        await engine.DeleteAsync("vi-2", 2);
        Assert.Equal(1, (await engine.SuggestAsync("cong nghe say")).Single().Documents);
        Assert.Empty(await engine.SuggestAsync("   "));
    }

    [Fact]
    public async Task A_rebuild_replaces_the_content_reports_progress_and_keeps_versions_from_the_source()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("gone", "en", "obsolete coffee", "removed from the database"));
        await engine.IndexAsync(Doc("kept", "en", "old title coffee", "x") with { Version = 5 });

        var reports = new List<int>();
        var count = await engine.RebuildAsync(Source(1200), new SynchronousProgress(reports.Add));

        Assert.Equal(1201, count);
        Assert.Contains(500, reports);
        Assert.Equal(1201, reports[^1]);
        Assert.Equal(1201, (await engine.SearchAsync(new SearchQuery(null))).Total);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("obsolete"))).Hits);
        Assert.Equal("kept", Assert.Single((await engine.SearchAsync(new SearchQuery("renewed"))).Hits).Id);
        // The removed document became a tombstone: its old version cannot come back.
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Doc("gone", "en", "obsolete coffee", "redelivered")));
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Doc("kept", "en", "older", "x") with { Version = 5 }));

        static async IAsyncEnumerable<SearchDocument> Source(int n)
        {
            yield return Doc("kept", "en", "renewed title", "x") with { Version = 6 };
            for (var i = 0; i < n; i++)
            {
                await Task.Yield();
                yield return Doc($"n{i}", "en", $"item {i}", "bulk");
            }
        }
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
