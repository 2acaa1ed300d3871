using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

[Collection(StackCollection.Name)]
public sealed class IdentityTests(StackFixture fixture)
{
    [Fact]
    public async Task Every_demo_account_logs_in_and_me_shows_its_role_and_organisation()
    {
        foreach (var account in DemoAccounts.All)
        {
            using var http = fixture.Anonymous();
            var tokens = await DemoAccounts.LoginAsync(http, account);
            Assert.Equal(900, tokens.ExpiresIn);
            http.DefaultRequestHeaders.Authorization = new("Bearer", tokens.AccessToken);
            var me = await http.GetFromJsonAsync<JsonElement>("/api/identity/me");
            Assert.Equal(account.Email, me.GetProperty("email").GetString());
            var membership = me.GetProperty("memberships").EnumerateArray().Single();
            Assert.Equal(account.Role, membership.GetProperty("role").GetString());
            Assert.Equal(account.Organisation, membership.GetProperty("organisationName").GetString());
        }
    }

    [Fact]
    public async Task A_wrong_password_is_401_and_repeated_failures_lock_the_account()
    {
        using var http = fixture.Anonymous();
        var (email, password) = await RegisterAsync(http, "company");
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await http.PostAsJsonAsync("/api/identity/login", new { email, password = "not-the-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var locked = await http.PostAsJsonAsync("/api/identity/login", new { email, password });
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
    }

    [Fact]
    public async Task An_unknown_email_is_401_and_a_missing_field_is_400()
    {
        using var http = fixture.Anonymous();
        using var unknown = await http.PostAsJsonAsync("/api/identity/login", new { email = "nobody@nowhere.test", password = "whatever-123" });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        using var missing = await http.PostAsJsonAsync("/api/identity/login", new { email = "x@y.test" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_a_replayed_one_revokes_the_family()
    {
        using var http = fixture.Anonymous();
        var first = await DemoAccounts.LoginAsync(http, DemoAccounts.WithRole("expert"));
        using var rotated = await http.PostAsJsonAsync("/api/identity/refresh", new { refreshToken = first.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var second = (await rotated.Content.ReadFromJsonAsync<Tokens>())!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);

        using var replay = await http.PostAsJsonAsync("/api/identity/refresh", new { refreshToken = first.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        using var afterReplay = await http.PostAsJsonAsync("/api/identity/refresh", new { refreshToken = second.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, afterReplay.StatusCode);
    }

    [Fact]
    public async Task Only_a_platform_admin_verifies_an_organisation_and_only_once()
    {
        using var http = fixture.Anonymous();
        var registered = await http.PostAsJsonAsync("/api/identity/organisations/register", NewOrganisation("institution", out _, out _));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var organisationId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("organisationId").GetGuid();

        using var institution = await fixture.As("institution-member");
        using var forbidden = await institution.PostAsync($"/api/identity/organisations/{organisationId}/verify", null);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var admin = await fixture.As("platform-admin");
        var unverified = await admin.GetFromJsonAsync<JsonElement>("/api/identity/organisations?unverified=true");
        Assert.Contains(unverified.EnumerateArray(), o => o.GetProperty("id").GetGuid() == organisationId);
        using var verified = await admin.PostAsync($"/api/identity/organisations/{organisationId}/verify", null);
        Assert.Equal(HttpStatusCode.NoContent, verified.StatusCode);
        using var again = await admin.PostAsync($"/api/identity/organisations/{organisationId}/verify", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var missing = await admin.PostAsync($"/api/identity/organisations/{Guid.NewGuid()}/verify", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Registration_rejects_bad_input_and_stations_registering_themselves()
    {
        using var http = fixture.Anonymous();
        using var station = await http.PostAsJsonAsync("/api/identity/organisations/register", NewOrganisation("registration-station", out _, out _));
        Assert.Equal(HttpStatusCode.BadRequest, station.StatusCode);
        using var bad = await http.PostAsJsonAsync("/api/identity/organisations/register", new
        {
            organisation = new { name = "X", type = "guild", country = "ZZ" },
            user = new { email = "not-an-email", password = "short", displayName = "x" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "organisation.type", "organisation.country", "user.email", "user.password" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }

    private static object NewOrganisation(string type, out string email, out string password)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        email = $"user-{tag}@e2e.transferhub.test";
        password = "E2e-password-" + tag;
        return new
        {
            organisation = new { name = $"E2E {type} {tag}", type, country = "TH", regionCode = "10", legalPersonNature = "022" },
            user = new { email, password, displayName = "E2E user " + tag },
        };
    }

    private static async Task<(string Email, string Password)> RegisterAsync(HttpClient http, string type)
    {
        using var response = await http.PostAsJsonAsync("/api/identity/organisations/register", NewOrganisation(type, out var email, out var password));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (email, password);
    }
}
