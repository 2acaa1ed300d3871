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

    private async Task<Guid> PublishAsync(HttpClient institution, string language, string title, string summary, string secret)
    {
        using var created = await institution.PostAsJsonAsync("/api/listings/technologies", new
        {
            title, summary, language,
            keywords = new[] { "search-test" },
            fields = new[] { "green-energy" },
            trl = 6,
            transferModes = new[] { "non-exclusive-licence" },
            targetCountries = new[] { "TH", "LA" },
            confidentialDetail = secret,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await institution.PostAsync($"/api/listings/technologies/{id}/submit", null)).StatusCode);
        using var moderator = await fixture.As("platform-admin");
        Assert.Equal(HttpStatusCode.OK, (await moderator.PostAsync($"/api/listings/technologies/{id}/approve", null)).StatusCode);
        return id;
    }

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
    public async Task Malformed_queries_are_a_400_problem(string query)
    {
        using var anonymous = fixture.Anonymous();
        using var response = await anonymous.GetAsync($"{Search}?{query.Replace("LONG", new string('x', 2_000), StringComparison.Ordinal)}");
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
}
