using TransferHub.Search.Concepts;

namespace TransferHub.Search.Tests;

/// <summary>
/// What every <see cref="ISearchEngine"/> must do, run against each engine (the embedded Lucene engine here; the
/// Elasticsearch engine against a real server where a Docker engine exists): search in each language, versions and
/// tombstones, filters and facets, stable pages and sorting, cross-lingual hits through thesaurus concepts,
/// highlights, explanations, "did you mean", autocomplete, rebuilds, and an index that survives a restart.
/// <see cref="Open"/> opens the same store every time it is called within one test.
/// </summary>
public abstract class SearchEngineContract
{
    /// <summary>The thesaurus the contract's documents are written against.</summary>
    protected static Thesaurus Thesaurus => ThesaurusTests.Small;

    protected ISearchEngine Open() => Open(Thesaurus);

    /// <summary>The engine on this test's store, reading documents and queries with <paramref name="thesaurus"/>.</summary>
    protected abstract ISearchEngine Open(Thesaurus thesaurus);

    internal static SearchDocument Doc(string id, long version, string language, string title, string summary, string field, string country,
        params LocalizedText[] translations) =>
        new(id, version, [new LocalizedText(language, title, summary, []), .. translations],
            new Dictionary<string, IReadOnlyList<string>> { ["field"] = [field], ["country"] = [country], ["language"] = [language] });

    internal static async Task SeedAsync(ISearchEngine engine)
    {
        await engine.IndexAsync(Doc("th-1", 1, "th", "การถ่ายทอดเทคโนโลยีพลังงานสีเขียว", "ระบบสูบน้ำพลังงานแสงอาทิตย์สำหรับเกษตรกร", "green-energy", "TH"));
        await engine.IndexAsync(Doc("vi-1", 1, "vi", "Công nghệ xử lý nước thải cà phê", "Xử lý nước thải chế biến cà phê ướt", "plateau-agriculture", "VN"));
        await engine.IndexAsync(Doc("zh-1", 1, "zh", "高原特色农业技术转移", "咖啡湿法加工废水资源化处理", "plateau-agriculture", "CN",
            new LocalizedText("en", "Highland agriculture technology transfer", "Coffee wastewater treatment", ["coffee", "wastewater"])));
        await engine.IndexAsync(Doc("my-1", 1, "my", "နည်းပညာလွှဲပြောင်းခြင်း", "ဆိုလာစွမ်းအင်", "green-energy", "MM"));
    }

    [SkippableFact]
    public async Task Lao_typed_with_decomposed_letters_finds_the_text_written_with_composed_ones_and_back()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("lo-1", 1, "lo", "ເຄື່ອງອົບແຫ້ງໝາກໄມ້", "ນຳໃຊ້ພະລັງງານແສງຕາເວັນ", "green-energy", "LA"));
        await engine.IndexAsync(Doc("lo-2", 1, "lo", "ເຄື່ອງບົດຫນໍ່ໄມ້", "ສໍາລັບຊາວກະສິກອນ", "plateau-agriculture", "LA"));

        Assert.Equal("lo-1", Assert.Single((await engine.SearchAsync(new SearchQuery("ອົບແຫ້ງຫມາກໄມ້"))).Hits).Id);
        Assert.Equal("lo-2", Assert.Single((await engine.SearchAsync(new SearchQuery("ບົດໜໍ່ໄມ້"))).Hits).Id);
    }

    [SkippableFact]
    public async Task An_index_read_with_another_thesaurus_says_so_until_it_is_rebuilt()
    {
        var other = new Thesaurus([.. Thesaurus.Concepts, new Concept("test.extra", "other", new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["extra"] })]);
        Assert.NotEqual(Thesaurus.Fingerprint, other.Fingerprint);
        using (var engine = Open())
        {
            Assert.False(await engine.ThesaurusOutdatedAsync());
            await SeedAsync(engine);
            Assert.False(await engine.ThesaurusOutdatedAsync());
        }
        using (var changed = Open(other))
        {
            Assert.True(await changed.ThesaurusOutdatedAsync());
            // it still serves what it holds
            Assert.Equal(4, (await changed.SearchAsync(new SearchQuery(null))).Total);
            await changed.RebuildAsync(One(Doc("th-1", 2, "th", "ระบบสูบน้ำ", "extra", "green-energy", "TH")));
            Assert.False(await changed.ThesaurusOutdatedAsync());
        }
        using (var reopened = Open(other))
        {
            Assert.False(await reopened.ThesaurusOutdatedAsync());
        }
        using var back = Open();
        Assert.True(await back.ThesaurusOutdatedAsync());

        static async IAsyncEnumerable<SearchDocument> One(SearchDocument document)
        {
            await Task.Yield();
            yield return document;
        }
    }

    [SkippableFact]
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
        // the English translation matches word for word; the Chinese original through the thesaurus concept coffee (咖啡)
        Assert.Equal(["en", "zh"], translation.Hits[0].MatchedLanguages.Order());

        Assert.Equal("my-1", Assert.Single((await engine.SearchAsync(new SearchQuery("လွှဲပြောင်း"))).Hits).Id);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("ทุเรียน"))).Hits);
    }

    [SkippableFact]
    public async Task A_need_whose_every_word_no_listing_has_is_relaxed_to_listings_with_some_of_them_after_the_full_matches()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("pump", 1, "en", "Borehole pump driven by photovoltaic panels", "Lifts groundwater for irrigation", "green-energy", "LA"));
        await engine.IndexAsync(Doc("full", 1, "en", "Borehole pump for smallholder farms in the hills", "Photovoltaic", "green-energy", "LA"));
        await engine.IndexAsync(Doc("loom", 1, "en", "Handloom for silk weaving", "Village cooperatives", "light-industry", "KH"));
        await engine.IndexAsync(Doc("th", 1, "th", "เครื่องสีข้าวขนาดเล็ก", "สำหรับสหกรณ์หมู่บ้าน", "advanced-manufacturing", "TH"));

        // 7 words, 70 % = 5: only "full" has them; "pump" has borehole + pump, so the relaxed search adds it after "full".
        var need = await engine.SearchAsync(new SearchQuery("borehole pump for smallholder farms in mountains"));
        Assert.True(need.Relaxed);
        Assert.Equal(["full", "pump"], need.Hits.Select(h => h.Id));
        Assert.Equal(["en"], need.Hits[1].MatchedLanguages);

        // Thai: a need in words the listing has only some of (ข้าว rice, หมู่บ้าน village), none of the others
        var thai = await engine.SearchAsync(new SearchQuery("โรงสีข้าวของหมู่บ้านเรา"));
        Assert.True(thai.Relaxed);
        Assert.Equal("th", Assert.Single(thai.Hits).Id);

        // a query whose relaxed search finds nothing more than its full match is not relaxed; nor is a single word
        Assert.False((await engine.SearchAsync(new SearchQuery("handloom silk"))).Relaxed);
        var one = await engine.SearchAsync(new SearchQuery("mountains"));
        Assert.False(one.Relaxed);
        Assert.Empty(one.Hits);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("quantum entanglement"))).Hits);
    }

    [SkippableFact]
    public async Task Latin_plurals_meet_their_singulars()
    {
        using var engine = Open();
        await engine.IndexAsync(Doc("b", 1, "en", "Recycling of lithium batteries", "Recovers cobalt", "new-materials", "CN"));
        await engine.IndexAsync(Doc("r", 1, "en", "Waterproofing flat roof", "Concrete", "advanced-manufacturing", "VN"));
        Assert.Equal("b", Assert.Single((await engine.SearchAsync(new SearchQuery("lithium battery recycling"))).Hits).Id);
        Assert.Equal("r", Assert.Single((await engine.SearchAsync(new SearchQuery("flat roofs waterproofing"))).Hits).Id);
    }

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    internal static SearchDocument Feature(string id, string language, string title, string summary, double? price = null, params string[] keywords) =>
        new(id, 1, [new LocalizedText(language, title, summary, keywords)],
            new Dictionary<string, IReadOnlyList<string>> { ["language"] = [language] },
            new Dictionary<string, string> { ["title"] = title },
            price is { } p ? new Dictionary<string, double> { ["price"] = p } : null);

    [SkippableFact]
    public async Task A_thai_query_finds_a_chinese_only_technology_through_the_concept_and_says_it_matched_in_chinese()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("zh-dryer", "zh", "咖啡豆太阳能干燥设备", "利用太阳能干燥咖啡豆，含水率降至12%。"));
        await engine.IndexAsync(Feature("vi-water", "vi", "Xử lý nước thải cà phê", "Nước thải chế biến cà phê ướt"));

        var result = await engine.SearchAsync(new SearchQuery("เครื่องอบแห้งพลังงานแสงอาทิตย์"));

        var hit = Assert.Single(result.Hits);
        Assert.Equal("zh-dryer", hit.Id);
        Assert.Equal(["zh"], hit.MatchedLanguages);
        Assert.Equal(["energy.solar-dryer"], hit.MatchedConcepts);

        // Both documents are about coffee: a Khmer query finds them in Chinese and in Vietnamese.
        var coffee = await engine.SearchAsync(new SearchQuery("កាហ្វេ"));
        Assert.Equal(["vi-water", "zh-dryer"], coffee.Hits.Select(h => h.Id).Order());
    }

    [SkippableFact]
    public async Task Highlights_mark_the_query_words_and_the_concept_labels_and_escape_the_rest()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("en-1", "en", "Solar dryer <for> coffee & cocoa", "A solar dryer that halves drying time for coffee beans."));
        await engine.IndexAsync(Feature("zh-1", "zh", "咖啡豆太阳能干燥设备", "利用太阳能干燥咖啡豆。"));

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

    [SkippableFact]
    public async Task Sorting_by_a_number_puts_missing_values_last_and_pages_never_overlap_or_skip()
    {
        using var engine = Open();
        for (var i = 0; i < 45; i++)
        {
            await engine.BulkAsync([Feature($"d{i:D2}", "en", "coffee dryer", "same text for all", i % 3 == 0 ? null : i * 10)]);
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

    [SkippableFact]
    public async Task An_explanation_is_given_only_when_asked()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("en-1", "en", "coffee dryer", "beans"));
        var explained = await engine.SearchAsync(new SearchQuery("coffee", Explain: true));
        Assert.Contains("title_en:coffee", explained.Hits[0].Explanation);
        Assert.Null((await engine.SearchAsync(new SearchQuery("coffee"))).Hits[0].Explanation);
    }

    [SkippableFact]
    public async Task A_misspelt_query_gets_did_you_mean_with_the_indexed_word()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("en-1", "en", "Graphene coating for steel", "Anticorrosion graphene coating"));
        await engine.IndexAsync(Feature("id-1", "id", "Pengeringan kopi", "Pengering kopi tenaga surya"));

        var result = await engine.SearchAsync(new SearchQuery("grapheen coating"));
        Assert.Equal("graphene coating", result.DidYouMean);
        Assert.Null((await engine.SearchAsync(new SearchQuery("graphene coating"))).DidYouMean);
        Assert.Null((await engine.SearchAsync(new SearchQuery("zzzzqqq"))).DidYouMean);
        // a long need is relaxed, not corrected word by word
        Assert.Null((await engine.SearchAsync(new SearchQuery("where can our small factory buy a grapheen coating line"))).DidYouMean);
    }

    [SkippableFact]
    public async Task Autocomplete_completes_titles_and_keywords_in_any_script_ignoring_case_and_accents()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("vi-1", "vi", "Công nghệ sấy cà phê", "x", null, "công nghệ sinh học"));
        await engine.IndexAsync(Feature("vi-2", "vi", "Công nghệ sấy cà phê", "y"));
        await engine.IndexAsync(Feature("th-1", "th", "เครื่องอบแห้งพลังงานแสงอาทิตย์", "z"));

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

    [SkippableFact]
    public async Task A_rebuild_replaces_the_content_reports_progress_and_keeps_versions_from_the_source()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("gone", "en", "obsolete coffee", "removed from the database"));
        await engine.IndexAsync(Feature("kept", "en", "old title coffee", "x") with { Version = 5 });

        var reports = new List<int>();
        var count = await engine.RebuildAsync(Source(1200), new SynchronousProgress(reports.Add));

        Assert.Equal(1201, count);
        Assert.Contains(500, reports);
        Assert.Equal(1201, reports[^1]);
        Assert.Equal(1201, (await engine.SearchAsync(new SearchQuery(null))).Total);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("obsolete"))).Hits);
        Assert.Equal("kept", Assert.Single((await engine.SearchAsync(new SearchQuery("renewed"))).Hits).Id);
        // The removed document became a tombstone: its old version cannot come back.
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Feature("gone", "en", "obsolete coffee", "redelivered")));
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Feature("kept", "en", "older", "x") with { Version = 5 }));

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

    [SkippableFact]
    public async Task Writes_made_while_a_rebuild_runs_are_kept_and_searches_go_on()
    {
        using var engine = Open();
        await engine.IndexAsync(Feature("updated", "en", "coffee dryer", "x") with { Version = 3 });
        await engine.IndexAsync(Feature("deleted", "en", "coffee roaster", "x") with { Version = 6 });

        await engine.RebuildAsync(Source());

        // the rebuild read "updated" at version 3 and "deleted" at 6 before the events below; the events win
        Assert.Equal("tea dryer", (await engine.SearchAsync(new SearchQuery("dryer"))).Hits.Single(h => h.Id == "updated").Stored["title"]);
        Assert.Empty((await engine.SearchAsync(new SearchQuery("roaster"))).Hits);
        Assert.Equal("published", Assert.Single((await engine.SearchAsync(new SearchQuery("sorghum"))).Hits).Id);
        Assert.Equal(602, (await engine.SearchAsync(new SearchQuery(null))).Total);
        Assert.Equal(WriteOutcome.Stale, await engine.IndexAsync(Feature("updated", "en", "older", "x") with { Version = 4 }));

        async IAsyncEnumerable<SearchDocument> Source()
        {
            for (var i = 0; i < 600; i++)
            {
                if (i == 520)
                {
                    // read from the database in the second batch of 500, which is written after the events below
                    yield return Feature("updated", "en", "coffee dryer", "x") with { Version = 3 };
                    yield return Feature("deleted", "en", "coffee roaster", "x") with { Version = 6 };
                }
                if (i == 550)
                {
                    // events arrive mid-rebuild; the index still answers meanwhile
                    Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(Feature("updated", "en", "tea dryer", "x") with { Version = 4 }));
                    Assert.Equal(WriteOutcome.Applied, await engine.DeleteAsync("deleted", 7));
                    Assert.Equal(WriteOutcome.Applied, await engine.IndexAsync(Feature("published", "en", "sorghum harvester", "x")));
                    Assert.NotNull(await engine.SearchAsync(new SearchQuery("coffee")));
                }
                await Task.Yield();
                yield return Feature($"n{i}", "en", $"item {i}", "bulk");
            }
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool), so a test sees every report.</summary>
    internal sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
