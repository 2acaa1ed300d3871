using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>
/// Search through the gateway, anonymous: listing's events feed the embedded index; a Thai technology is found by a
/// Thai query, a Vietnamese one without diacritics; confidential detail never shows; withdrawn listings leave the index;
/// malformed queries are a 400 or a sane answer, never a 500.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SearchTests(StackFixture fixture)
{
    private const string Search = "/api/search/technologies";
    private static readonly TimeSpan arrival = TimeSpan.FromSeconds(30);

    /// <summary>Creates, submits and approves a technology (a listed price when one is given); returns its id.</summary>
    private async Task<Guid> PublishAsync(HttpClient institution, object technology)
    {
        using var created = await institution.PostAsJsonAsync("/api/listings/technologies", technology);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await institution.PostAsync($"/api/listings/technologies/{id}/submit", null)).StatusCode);
        using var moderator = await fixture.As("platform-admin");
        Assert.Equal(HttpStatusCode.OK, (await moderator.PostAsync($"/api/listings/technologies/{id}/approve", null)).StatusCode);
        return id;
    }

    private Task<Guid> PublishAsync(HttpClient institution, string language, string title, string summary, string secret) =>
        PublishAsync(institution, new
        {
            title, summary, language,
            keywords = new[] { "search-test" },
            fields = new[] { "green-energy" },
            trl = 6,
            transferModes = new[] { "non-exclusive-licence" },
            targetCountries = new[] { "TH", "LA" },
            confidentialDetail = secret,
        });

    private Task<Guid> PublishPricedAsync(HttpClient institution, string title, string summary, decimal price, string currency) =>
        PublishAsync(institution, new
        {
            title, summary, language = "zh",
            keywords = new[] { "涂层" },
            fields = new[] { "new-materials" },
            trl = 7,
            transferModes = new[] { "assignment" },
            pricingMode = "listed",
            price,
            currency,
            targetCountries = new[] { "TH" },
        });

    private static async Task<JsonElement?> FindAsync(HttpClient client, string query, Guid id)
    {
        var answer = await client.GetFromJsonAsync<JsonElement>($"{Search}?q={Uri.EscapeDataString(query)}&pageSize=100");
        return answer.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("id").GetGuid() == id).Select(i => (JsonElement?)i).FirstOrDefault();
    }

    [Fact]
    public async Task A_published_technology_is_found_in_its_language_without_its_confidential_detail_and_leaves_when_withdrawn()
    {
        using var institution = await fixture.As("institution-member", 1);
        using var anonymous = fixture.Anonymous();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var secret = "SECRET-" + tag;
        var thai = await PublishAsync(institution, "th", $"ระบบสูบน้ำพลังงานแสงอาทิตย์ {tag}", "การถ่ายทอดเทคโนโลยีพลังงานสีเขียวสำหรับเกษตรกร", secret);
        var vietnamese = await PublishAsync(institution, "vi", $"Công nghệ xử lý nước thải cà phê {tag}", "Xử lý nước thải chế biến cà phê ướt", secret);

        JsonElement? hit = null;
        await Eventually.TrueAsync(async () => (hit = await FindAsync(anonymous, "พลังงานแสงอาทิตย์", thai)) is not null, arrival,
            "the published Thai technology becomes searchable in Thai");
        Assert.Contains("th", hit!.Value.GetProperty("matchedLanguages").EnumerateArray().Select(l => l.GetString()));
        Assert.NotNull(await FindAsync(anonymous, "cong nghe nuoc thai", vietnamese));

        var page = await anonymous.GetStringAsync($"{Search}?q={tag}&pageSize=100");
        Assert.DoesNotContain(secret, page);
        var answer = JsonDocument.Parse(page).RootElement;
        Assert.Contains(answer.GetProperty("facets").GetProperty("field").EnumerateArray(), f => f.GetProperty("value").GetString() == "green-energy");
        var filtered = await anonymous.GetFromJsonAsync<JsonElement>($"{Search}?q={tag}&language=vi");
        Assert.Equal(vietnamese, Assert.Single(filtered.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.False(filtered.GetProperty("relaxed").GetBoolean());
        // no listing has most of these words: the search is relaxed to listings with some of them, and says so
        var relaxed = await anonymous.GetFromJsonAsync<JsonElement>($"{Search}?q={Uri.EscapeDataString($"{tag} unobtainium{tag} flux")}&pageSize=100");
        Assert.True(relaxed.GetProperty("relaxed").GetBoolean());
        Assert.Contains(vietnamese, relaxed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));

        Assert.Equal(HttpStatusCode.OK, (await institution.PostAsJsonAsync($"/api/listings/technologies/{thai}/withdraw",
            new { reason = "Licensed outside the platform." })).StatusCode);
        await Eventually.TrueAsync(async () => await FindAsync(anonymous, "พลังงานแสงอาทิตย์", thai) is null, arrival,
            "a withdrawn technology leaves the index");
    }

    [Theory]
    [InlineData("page=-1")]
    [InlineData("page=abc")]
    [InlineData("pageSize=10000")]
    [InlineData("colour=red")]
    [InlineData("q=%01%02bell")]
    [InlineData("q=LONG")]
    [InlineData("sort=cheapest")]
    [InlineData("highlight=maybe")]
    [InlineData("explain=1")]
    [InlineData("sort=newest&sort=price-asc")]
    [InlineData("priceBand=x&page=0")]
    [InlineData("SUGGEST")]
    [InlineData("SUGGEST?q=")]
    [InlineData("SUGGEST?q=gra&in=experts")]
    [InlineData("SUGGEST?q=gra&count=500")]
    [InlineData("SUGGEST?q=gra&colour=red")]
    public async Task Malformed_queries_are_a_400_problem(string query)
    {
        using var anonymous = fixture.Anonymous();
        var url = query.StartsWith("SUGGEST", StringComparison.Ordinal)
            ? "/api/search/suggest" + query["SUGGEST".Length..]
            : $"{Search}?{query.Replace("LONG", new string('x', 2_000), StringComparison.Ordinal)}";
        using var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_10_kB_query_is_refused_at_the_gateway_as_too_long()
    {
        // beyond the request line limit (8 KiB) the gateway's server answers 414 before any service sees it
        using var anonymous = fixture.Anonymous();
        using var response = await anonymous.GetAsync($"{Search}?q={new string('x', 10_000)}");
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }

    [Theory]
    [InlineData("\"solar pump")]
    [InlineData("solar พลังงาน 太阳能 năng lượng")]
    [InlineData("(((")]
    [InlineData("*:*")]
    public async Task Odd_but_harmless_queries_get_a_sane_answer(string text)
    {
        using var anonymous = fixture.Anonymous();
        using var response = await anonymous.GetAsync($"{Search}?q={Uri.EscapeDataString(text)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt64() >= 0);
    }

    [Fact]
    public async Task A_thai_query_finds_a_chinese_only_technology_through_the_thesaurus_with_highlights_sorting_and_suggestions()
    {
        using var institution = await fixture.As("institution-member", 1);
        using var anonymous = fixture.Anonymous();
        var tag = Guid.NewGuid().ToString("N")[..8];
        // Chinese only: graphene (石墨烯) is a thesaurus concept with a Thai label (กราฟีน).
        var cheap = await PublishPricedAsync(institution, $"石墨烯防腐涂料 {tag}", "石墨烯改性环氧涂层，耐盐雾3000小时。", 50_000, "CNY");
        var dear = await PublishPricedAsync(institution, $"石墨烯导热膜 {tag}", "高导热石墨烯薄膜，用于手机散热。", 2_000_000, "USD");

        JsonElement answer = default;
        await Eventually.TrueAsync(async () =>
        {
            answer = await anonymous.GetFromJsonAsync<JsonElement>(
                $"{Search}?q={Uri.EscapeDataString("กราฟีน " + tag)}&highlight=true&sort=price-asc&pageSize=100");
            return answer.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("id").GetGuid() is var id && (id == cheap || id == dear)) == 2;
        }, arrival, "both Chinese technologies are found by a Thai query");
        var ours = answer.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("id").GetGuid() is var id && (id == cheap || id == dear)).ToList();
        Assert.Equal([cheap, dear], ours.Select(i => i.GetProperty("id").GetGuid()));
        Assert.All(ours, i =>
        {
            Assert.Contains("zh", i.GetProperty("matchedLanguages").EnumerateArray().Select(l => l.GetString()));
            Assert.Contains("mat.graphene", i.GetProperty("matchedConcepts").EnumerateArray().Select(c => c.GetString()));
            Assert.Contains("<mark>石墨烯</mark>", i.GetProperty("highlights").GetProperty("title").GetString());
        });

        var bands = await anonymous.GetFromJsonAsync<JsonElement>($"{Search}?q={tag}&priceBand=over-10m");
        Assert.Equal(dear, Assert.Single(bands.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Contains(bands.GetProperty("facets").GetProperty("priceBand").EnumerateArray(), f => f.GetProperty("value").GetString() == "over-10m");

        var suggestions = await anonymous.GetFromJsonAsync<JsonElement>($"/api/search/suggest?q={Uri.EscapeDataString("石墨烯防腐")}");
        Assert.Contains(suggestions.GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("text").GetString() == $"石墨烯防腐涂料 {tag}");

        var misspelt = await anonymous.GetFromJsonAsync<JsonElement>($"{Search}?q=grapheen");
        Assert.True(misspelt.GetProperty("total").GetInt64() >= 0);
    }

    [Fact]
    public async Task A_platform_admin_rebuilds_an_index_while_the_service_serves_and_follows_its_progress()
    {
        using var institution = await fixture.As("institution-member", 1);
        using var admin = await fixture.As("platform-admin");
        using var anonymous = fixture.Anonymous();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await PublishAsync(institution, "en", $"Biogas digester for cassava waste {tag}", "Anaerobic digestion of cassava pulp", "SECRET-" + tag);
        await Eventually.TrueAsync(async () => await FindAsync(anonymous, tag, id) is not null, arrival, "the technology becomes searchable");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/search/rebuilds/technologies", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await institution.PostAsync("/api/search/rebuilds/technologies", null)).StatusCode);
        using var unknown = await admin.PostAsync("/api/search/rebuilds/widgets", null);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("collection", await unknown.Content.ReadAsStringAsync());

        using var started = await admin.PostAsync("/api/search/rebuilds/technologies", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("/api/search/rebuilds/technologies", started.Headers.Location?.OriginalString);
        JsonElement status = default;
        await Eventually.TrueAsync(async () =>
        {
            status = await admin.GetFromJsonAsync<JsonElement>("/api/search/rebuilds/technologies");
            return status.GetProperty("state").GetString() != "running";
        }, arrival, "the rebuild finishes");
        Assert.Equal("completed", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("done").GetInt32() >= 1);
        Assert.Contains("@", status.GetProperty("requestedBy").GetString());
        Assert.Equal(status.GetProperty("total").GetInt64(), status.GetProperty("done").GetInt32());
        Assert.NotNull(await FindAsync(anonymous, tag, id));
        Assert.Equal(HttpStatusCode.Forbidden, (await institution.GetAsync("/api/search/rebuilds/technologies")).StatusCode);
    }

    [Fact]
    public async Task After_a_thesaurus_change_the_listing_service_rebuilds_its_index_at_start_up_and_the_new_concept_finds_old_listings()
    {
        using var institution = await fixture.As("institution-member", 1);
        using var admin = await fixture.As("platform-admin");
        using var anonymous = fixture.Anonymous();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await PublishAsync(institution, "en", $"Zyxoprene coating for bamboo {tag}", "A zyxoprene film keeps bamboo dry", "SECRET-" + tag);
        await Eventually.TrueAsync(async () => await FindAsync(anonymous, tag, id) is not null, arrival, "the technology becomes searchable");
        const string thai = "ไซโซพรีน"; // the new concept's Thai label: no Thai text anywhere says it
        Assert.Null(await FindAsync(anonymous, thai, id));

        // the shipped thesaurus plus one concept, as a new release of seeds/thesaurus would bring it
        var thesaurus = Path.Combine(Path.GetTempPath(), "th-thesaurus-" + tag);
        Directory.CreateDirectory(thesaurus);
        var listing = fixture.Stack["listing"];
        try
        {
            foreach (var file in Directory.GetFiles(RepoPaths.Combine("seeds", "thesaurus"), "*.json"))
            {
                File.Copy(file, Path.Combine(thesaurus, Path.GetFileName(file)));
            }
            await File.WriteAllTextAsync(Path.Combine(thesaurus, "zz-test.json"),
                """{"group": "test", "concepts": [{"id": "test.zyxoprene", "field": "new-materials", "labels": {"en": ["zyxoprene"], "th": ["ไซโซพรีน"]}}]}""");
            await RestartListingAsync(listing, thesaurus);
            var status = await StartUpRebuildAsync(admin);
            Assert.Equal("completed", status.GetProperty("state").GetString());
            var hit = await FindAsync(anonymous, thai, id);
            Assert.NotNull(hit);
            Assert.Contains("test.zyxoprene", hit.Value.GetProperty("matchedConcepts").EnumerateArray().Select(c => c.GetString()));
        }
        finally
        {
            // back to the shipped thesaurus (rebuilt again) for the tests that follow
            await RestartListingAsync(listing, null);
            await StartUpRebuildAsync(admin);
            Directory.Delete(thesaurus, recursive: true);
        }
        Assert.Null(await FindAsync(anonymous, thai, id));
    }

    private static async Task RestartListingAsync(ServiceProcess listing, string? thesaurus)
    {
        listing.Kill();
        listing.Configure("Listing__Search__ThesaurusPath", thesaurus);
        listing.Start();
        await listing.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The rebuild the listing service starts on its own when its index was read with another thesaurus, once finished.</summary>
    private static async Task<JsonElement> StartUpRebuildAsync(HttpClient admin)
    {
        JsonElement status = default;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await admin.GetAsync("/api/search/rebuilds/technologies");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
            status = await response.Content.ReadFromJsonAsync<JsonElement>();
            return status.GetProperty("requestedBy").GetString() == "start-up: the thesaurus changed" && status.GetProperty("state").GetString() != "running";
        }, arrival, "the listing service rebuilds its index after the thesaurus changed");
        return status;
    }
}
