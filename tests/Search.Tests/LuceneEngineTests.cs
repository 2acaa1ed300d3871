using Lucene.Net.Store;
using TransferHub.Search.Lucene;

namespace TransferHub.Search.Tests;

/// <summary>The embedded engine: search in each language, versions, deletions, filters, facets, a reopened index.</summary>
public sealed class LuceneEngineTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), "th-search-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
    }

    private LuceneSearchEngine Open() => new(FSDirectory.Open(path));

    private static SearchDocument Doc(string id, long version, string language, string title, string summary, string field, string country,
        params LocalizedText[] translations) =>
        new(id, version, [new LocalizedText(language, title, summary, []), .. translations],
            new Dictionary<string, IReadOnlyList<string>> { ["field"] = [field], ["country"] = [country], ["language"] = [language] });

    private static async Task SeedAsync(ISearchEngine engine)
    {
        await engine.IndexAsync(Doc("th-1", 1, "th", "การถ่ายทอดเทคโนโลยีพลังงานสีเขียว", "ระบบสูบน้ำพลังงานแสงอาทิตย์สำหรับเกษตรกร", "green-energy", "TH"));
        await engine.IndexAsync(Doc("vi-1", 1, "vi", "Công nghệ xử lý nước thải cà phê", "Xử lý nước thải chế biến cà phê ướt", "plateau-agriculture", "VN"));
        await engine.IndexAsync(Doc("zh-1", 1, "zh", "高原特色农业技术转移", "咖啡湿法加工废水资源化处理", "plateau-agriculture", "CN",
            new LocalizedText("en", "Highland agriculture technology transfer", "Coffee wastewater treatment", ["coffee", "wastewater"])));
        await engine.IndexAsync(Doc("my-1", 1, "my", "နည်းပညာလွှဲပြောင်းခြင်း", "ဆိုလာစွမ်းအင်", "green-energy", "MM"));
    }

    [Fact]
    public async Task Each_language_finds_its_documents_and_the_hit_says_which_language_matched()
    {
        using var engine = Open();
        await SeedAsync(engine);

        var thai = await engine.SearchAsync(new SearchQuery("พลังงานสีเขียว"));
        Assert.Equal("th-1", Assert.Single(thai.Hits).Id);
        Assert.Equal(["th"], thai.Hits[0].MatchedLanguages);

        var folded = await engine.SearchAsync(new SearchQuery("cong nghe nuoc thai"));
        Assert.Equal("vi-1", folded.Hits[0].Id);

        var chinese = await engine.SearchAsync(new SearchQuery("农业"));
        Assert.Equal("zh-1", Assert.Single(chinese.Hits).Id);
        Assert.Contains("zh", chinese.Hits[0].MatchedLanguages);

        var translation = await engine.SearchAsync(new SearchQuery("coffee wastewater"));
        Assert.Equal("zh-1", translation.Hits[0].Id);
        Assert.Equal(["en"], translation.Hits[0].MatchedLanguages);

        Assert.Equal("my-1", Assert.Single((await engine.SearchAsync(new SearchQuery("လွှဲပြောင်း"))).Hits).Id);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("ทุเรียน"))).Hits);
    }

    [Fact]
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

    [Fact]
    public async Task Filters_narrow_and_facets_count_every_match()
    {
        using var engine = Open();
        await SeedAsync(engine);
        var all = await engine.SearchAsync(new SearchQuery(null, Facets: ["field", "country"]));
        Assert.Equal(4, all.Total);
        Assert.Equal([new FacetCount("green-energy", 2), new FacetCount("plateau-agriculture", 2)], all.Facets["field"]);
        Assert.Equal(4, all.Facets["country"].Count);

        var filtered = await engine.SearchAsync(new SearchQuery(null,
            new Dictionary<string, IReadOnlyList<string>> { ["field"] = ["plateau-agriculture"], ["country"] = ["VN", "TH"] }, ["language"]));
        Assert.Equal("vi-1", Assert.Single(filtered.Hits).Id);
        Assert.Equal([new FacetCount("vi", 1)], filtered.Facets["language"]);
    }

    [Fact]
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

    [Fact]
    public async Task Pages_do_not_overlap()
    {
        using var engine = Open();
        for (var i = 0; i < 25; i++)
        {
            await engine.IndexAsync(Doc($"d{i:00}", 1, "en", $"Biomass gasifier model {i}", "biomass gasifier for rubber smoking houses", "green-energy", "TH"));
        }
        var first = await engine.SearchAsync(new SearchQuery("biomass", PageSize: 10));
        var second = await engine.SearchAsync(new SearchQuery("biomass", Page: 2, PageSize: 10));
        var third = await engine.SearchAsync(new SearchQuery("biomass", Page: 3, PageSize: 10));
        Assert.Equal(25, first.Total);
        var ids = first.Hits.Concat(second.Hits).Concat(third.Hits).Select(h => h.Id).ToList();
        Assert.Equal(25, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_committed_index_survives_a_restart_with_its_versions()
    {
        using (var engine = Open())
        {
            await SeedAsync(engine);
        }
        using var reopened = Open();
        Assert.Equal(4, (await reopened.SearchAsync(new SearchQuery(null))).Total);
        Assert.Equal(WriteOutcome.Stale, await reopened.IndexAsync(Doc("th-1", 1, "th", "เก่า", "เก่า", "green-energy", "TH")));
    }
}
