using System.Text.Json.Nodes;
using TransferHub.Search.Elasticsearch;

namespace TransferHub.Search.Tests;

/// <summary>
/// The Elasticsearch engine against a real Elasticsearch 8.15.3 with analysis-icu (<see cref="ElasticsearchServer"/>):
/// what is particular to Elasticsearch (Zawgyi through its analysis, rebuild by alias, odd text, the analysis chains),
/// on a collection of its own per test; the behaviours both engines share are <see cref="ElasticsearchEngineContractTests"/>.
/// Skipped, with the reason, where no Docker engine (and no <c>TH_TEST_ELASTICSEARCH_URL</c>) is reachable.
/// </summary>
public sealed class ElasticsearchContainerTests(ElasticsearchServer server) : IClassFixture<ElasticsearchServer>
{
    private readonly string collection = "c" + Guid.NewGuid().ToString("N")[..12];

    private ElasticsearchSearchEngine Open(int bulkBatchSize = 500) => server.Open(collection, ElasticsearchEngineTests.Concepts, bulkBatchSize);

    [ElasticsearchFact]
    public async Task A_zawgyi_query_finds_the_unicode_text_and_a_zawgyi_document_is_found_in_unicode()
    {
        using var engine = Open();
        const string unicode = "နေရောင်ခြည်သုံး အခြောက်ခံစက်";
        const string zawgyi = "\u1031\u1014\u1031\u101B\u102C\u1004\u1039\u103B\u1001\u100A\u1039\u101E\u102F\u1036\u1038\u0020\u1021\u1031\u103B\u1001\u102C\u1000\u1039\u1001\u1036\u1005\u1000\u1039";
        await engine.IndexAsync(SearchEngineContract.Feature("my-unicode", "my", unicode, "x"));
        await engine.IndexAsync(SearchEngineContract.Feature("my-zawgyi", "my", zawgyi, "y"));
        var hits = (await engine.SearchAsync(new SearchQuery(zawgyi))).Hits;
        Assert.Equal(["my-unicode", "my-zawgyi"], hits.Select(h => h.Id).Order());
        Assert.All(hits, h => Assert.Equal(["my"], h.MatchedLanguages));
    }

    [ElasticsearchFact]
    public async Task A_rebuild_swaps_in_a_new_index_reports_progress_keeps_tombstones_and_deletes_the_old_index()
    {
        using var engine = Open(bulkBatchSize: 500);
        await engine.IndexAsync(SearchEngineContract.Feature("gone", "en", "obsolete coffee", "removed from the database"));
        await engine.IndexAsync(SearchEngineContract.Feature("kept", "en", "old title coffee", "x") with { Version = 5 });
        var before = (await server.GetAsync("_alias/" + engine.Alias))!.AsObject().Select(p => p.Key).ToList();

        var reports = new List<int>();
        var count = await engine.RebuildAsync(Source(1200), new SearchEngineContract.SynchronousProgress(reports.Add));

        Assert.Equal(1201, count);
        Assert.Contains(500, reports);
        Assert.Equal(1201, reports[^1]);
        Assert.Equal(1201, (await engine.SearchAsync(new SearchQuery(null))).Total);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("obsolete"))).Hits);
        Assert.Equal("kept", Assert.Single((await engine.SearchAsync(new SearchQuery("renewed"))).Hits).Id);
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(SearchEngineContract.Feature("gone", "en", "obsolete coffee", "redelivered")));
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(SearchEngineContract.Feature("kept", "en", "older", "x") with { Version = 5 }));

        var after = (await server.GetAsync("_alias/" + engine.Alias))!.AsObject().Select(p => p.Key).ToList();
        Assert.Single(after);
        Assert.DoesNotContain(after[0], before);
        Assert.All(before, old => Assert.Null(server.GetAsync(old).GetAwaiter().GetResult()));

        static async IAsyncEnumerable<SearchDocument> Source(int n)
        {
            yield return SearchEngineContract.Feature("kept", "en", "renewed title", "x") with { Version = 6 };
            for (var i = 0; i < n; i++)
            {
                await Task.Yield();
                yield return SearchEngineContract.Feature($"n{i}", "en", $"item {i}", "bulk");
            }
        }
    }

    [ElasticsearchFact]
    public async Task Odd_text_never_makes_the_server_fail()
    {
        using var engine = Open();
        await SearchEngineContract.SeedAsync(engine);
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
}
