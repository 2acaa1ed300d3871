using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

[Collection(StackCollection.Name)]
public sealed class GatewayTests(StackFixture fixture)
{
    [Fact]
    public async Task Ready_health_reports_every_service_behind_the_gateway()
    {
        using var http = fixture.Anonymous();
        using var response = await http.GetAsync("/health/ready");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = body.GetProperty("checks");
        foreach (var service in new[] { "identity", "listing", "matchmaking", "registration", "experts", "web" })
        {
            Assert.Equal("Healthy", checks.GetProperty(service).GetProperty("status").GetString());
        }
    }

    [Theory]
    [InlineData("/api/matches/technologies")]
    [InlineData("/api/identity/me")]
    [InlineData("/api/registrations/stations")]
    [InlineData("/api/experts")]
    public async Task A_protected_route_without_a_token_is_401(string path)
    {
        using var http = fixture.Anonymous();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_forged_token_is_401()
    {
        using var http = fixture.Anonymous();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        using var response = await http.GetAsync("/api/matches/technologies");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_wrong_role_is_403()
    {
        // institutions and companies post technologies; a station officer does not
        using var officer = await fixture.As("station-officer");
        using var response = await officer.PostAsJsonAsync("/api/listings/technologies", new { title = "x", summary = "y", language = "en" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        using var institution = await fixture.As("institution-member");
        using var queue = await institution.GetAsync("/api/registrations/queue");
        Assert.Equal(HttpStatusCode.Forbidden, queue.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_and_creates_nothing()
    {
        using var institution = await fixture.As("institution-member");
        var before = await MineCountAsync(institution);
        using var response = await institution.PostAsync("/api/listings/technologies",
            new StringContent("{\"title\": \"unterminated", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("JSON", problem.GetProperty("title").GetString());
        Assert.Equal(before, await MineCountAsync(institution));
    }

    [Fact]
    public async Task Invalid_fields_are_a_400_naming_each_field()
    {
        using var institution = await fixture.As("institution-member");
        var before = await MineCountAsync(institution);
        using var response = await institution.PostAsJsonAsync("/api/listings/technologies",
            new { title = "", summary = "s", language = "xx", trl = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.True(errors.TryGetProperty("language", out _));
        Assert.True(errors.TryGetProperty("trl", out _));
        Assert.Equal(before, await MineCountAsync(institution));
    }

    [Fact]
    public async Task A_wrong_json_type_is_a_400_not_a_500()
    {
        using var institution = await fixture.As("institution-member");
        using var response = await institution.PostAsync("/api/listings/technologies",
            new StringContent("{\"title\": 5, \"trl\": \"high\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("listings")]
    [InlineData("matches")]
    [InlineData("registrations")]
    [InlineData("experts")]
    public async Task Each_services_openapi_document_is_reachable_through_the_gateway(string route)
    {
        using var http = fixture.Anonymous();
        using var response = await http.GetAsync($"/api/{route}/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        Assert.Contains(document.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith($"/api/{route}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_correlation_id_is_passed_on_or_created()
    {
        using var http = fixture.Anonymous();
        using var given = new HttpRequestMessage(HttpMethod.Get, "/api/listings/technologies/" + Guid.NewGuid());
        given.Headers.Add("X-Correlation-Id", "test-corr-123");
        using var response = await http.SendAsync(given);
        Assert.Equal("test-corr-123", response.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("test-corr-123", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("correlationId").GetString());

        using var fresh = await http.GetAsync("/health/live");
        Assert.Matches("^[0-9a-f]{32}$", fresh.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task The_portal_is_served_through_the_gateway()
    {
        using var http = fixture.Anonymous();
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("TransferHub", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_above_the_limit_is_413()
    {
        var gateway = await fixture.Stack.StartExtraGatewayAsync(new Dictionary<string, string> { ["Gateway__MaxRequestBodyBytes"] = "1024" });
        using var institution = await DemoAccounts.ClientAsync(gateway.BaseAddress, "institution-member");
        using var response = await institution.PostAsJsonAsync("/api/listings/technologies",
            new { title = "big", summary = new string('x', 4096), language = "en" });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Too_many_requests_get_429_with_retry_after()
    {
        var gateway = await fixture.Stack.StartExtraGatewayAsync(new Dictionary<string, string>
        {
            ["RateLimiting__PermitLimit"] = "5",
            ["RateLimiting__Window"] = "00:01:00",
        });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 8 && limited is null; i++)
        {
            var response = await http.GetAsync("/api/listings/technologies/" + Guid.NewGuid());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }
        Assert.NotNull(limited);
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.NotFound));
        var retryAfter = limited!.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        limited.Dispose();
    }

    private static async Task<long> MineCountAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/listings/technologies/mine?pageSize=1")).GetProperty("total").GetInt64();
}
