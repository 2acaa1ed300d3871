using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>
/// The listing service's technology lifecycle through the gateway (issue 4): the full model, moderation, negotiation,
/// transfer, withdrawal and expiry, with history, events reaching matchmaking, and every permission rule.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TechnologyLifecycleTests(StackFixture fixture)
{
    private const string Technologies = "/api/listings/technologies";
    private static readonly TimeSpan arrival = TimeSpan.FromSeconds(30);

    /// <summary>A complete technology as an institution would post it.</summary>
    private static JsonObject FullTechnology(string title, string? secret = null) => new()
    {
        ["title"] = title,
        ["summary"] = "Rare-earth doped long-afterglow ceramic for emergency signage; 12 h afterglow, no radioactive additives.",
        ["language"] = "en",
        ["keywords"] = new JsonArray("afterglow", "ceramic", "rare earth"),
        ["translations"] = new JsonArray(new JsonObject
        {
            ["language"] = "zh", ["title"] = "稀土掺杂长余辉发光陶瓷 " + title, ["summary"] = "余辉12小时，不含放射性添加剂。",
            ["keywords"] = new JsonArray("长余辉", "陶瓷"),
        }),
        ["fields"] = new JsonArray("new-materials", "public-safety"),
        ["trl"] = 6,
        ["stage"] = "pilot",
        ["ipRecords"] = new JsonArray(
            new JsonObject { ["type"] = "invention-patent", ["number"] = "ZL202110012345.6", ["office"] = "CNIPA", ["status"] = "granted", ["expiry"] = "2041-03-01" },
            new JsonObject { ["type"] = "know-how", ["status"] = "granted" }),
        ["owners"] = new JsonArray(
            new JsonObject { ["name"] = "Yunnan University", ["share"] = 62.5 },
            new JsonObject { ["name"] = "Inventor team", ["share"] = 37.5 }),
        ["transferModes"] = new JsonArray("exclusive-licence", "joint-development"),
        ["pricingMode"] = "listed",
        ["price"] = 1250000.50,
        ["currency"] = "CNY",
        ["targetCountries"] = new JsonArray("LA", "TH", "VN"),
        ["contact"] = new JsonObject { ["name"] = "Li Wei", ["email"] = "li.wei@ynu.transferhub.test", ["phone"] = "+86 871 0000" },
        ["expiresOn"] = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)).ToString("yyyy-MM-dd"),
        ["confidentialDetail"] = secret,
    };

    [Fact]
    public async Task A_technology_goes_from_draft_through_moderation_and_negotiation_to_transferred_with_history_and_events()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var other = await fixture.As("institution-member", 1);
        using var company = await fixture.As("company-member");
        using var admin = await fixture.As("platform-admin");
        using var anonymous = fixture.Anonymous();
        var title = "Afterglow ceramic " + Guid.NewGuid().ToString("N")[..8];
        var secret = "SINTER-PROFILE-" + Guid.NewGuid().ToString("N");

        // an incomplete draft can be saved but not submitted
        var draft = await Api.SendAsync(owner, HttpMethod.Post, Technologies, new JsonObject { ["title"] = title, ["summary"] = "s", ["language"] = "en" });
        Assert.Equal(HttpStatusCode.Created, draft.Status);
        var id = draft.Body.GetProperty("id").GetGuid();
        var incomplete = await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/submit");
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.Status);
        Assert.True(incomplete.Body.GetProperty("errors").TryGetProperty("fields", out _));
        Assert.True(incomplete.Body.GetProperty("errors").TryGetProperty("transferModes", out _));

        // the update needs If-Match; with it the whole model is stored
        Assert.Equal((HttpStatusCode)428, (await Api.SendAsync(owner, HttpMethod.Put, $"{Technologies}/{id}", FullTechnology(title, secret))).Status);
        var updated = await Api.SendAsync(owner, HttpMethod.Put, $"{Technologies}/{id}", FullTechnology(title, secret), ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(2, updated.Body.GetProperty("version").GetInt32());
        Assert.Equal("pilot", updated.Body.GetProperty("stage").GetString());
        Assert.Equal(1250000.50m, updated.Body.GetProperty("price").GetDecimal());
        Assert.Equal(2, updated.Body.GetProperty("owners").GetArrayLength());
        Assert.Equal("zh", updated.Body.GetProperty("translations")[0].GetProperty("language").GetString());
        Assert.Equal(secret, updated.Body.GetProperty("confidentialDetail").GetString());

        // submitted: in the moderation queue, invisible to another organisation, not approvable by a member
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/submit")).Status);
        Assert.Contains(id.ToString(), await admin.GetStringAsync($"{Technologies}/moderation?pageSize=100"));
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.GetAsync($"{Technologies}/moderation")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{Technologies}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/approve")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(company, HttpMethod.Post, $"{Technologies}/{id}/approve")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(owner, HttpMethod.Put, $"{Technologies}/{id}", FullTechnology(title, secret), "\"3\"")).Status);
        var moderatorView = await admin.GetStringAsync($"{Technologies}/{id}");
        Assert.DoesNotContain(secret, moderatorView);

        // returned with reasons (reasons are required), edited, resubmitted, approved
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(admin, HttpMethod.Post, $"{Technologies}/{id}/return", new JsonObject())).Status);
        var returned = await Api.SendAsync(admin, HttpMethod.Post, $"{Technologies}/{id}/return",
            new JsonObject { ["reasons"] = "Give the patent's legal status certificate number." });
        Assert.Equal("returned", returned.Body.GetProperty("status").GetString());
        var ownerView = await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}");
        Assert.Equal("Give the patent's legal status certificate number.", ownerView.GetProperty("returnReasons").GetString());
        var fixedBody = FullTechnology(title, secret);
        fixedBody["summary"] = "Rare-earth doped long-afterglow ceramic; legal status certificate 2023-0042 attached.";
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Put, $"{Technologies}/{id}", fixedBody, "\"4\"")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/submit")).Status);
        var approved = await Api.SendAsync(admin, HttpMethod.Post, $"{Technologies}/{id}/approve");
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("published", approved.Body.GetProperty("status").GetString());
        Assert.Equal("\"7\"", approved.ETag);

        // public: anonymous reads it without the confidential detail, owners' shares or contact; filters find it
        var publicView = await anonymous.GetStringAsync($"{Technologies}/{id}");
        Assert.DoesNotContain(secret, publicView);
        Assert.DoesNotContain("Inventor team", publicView);
        Assert.DoesNotContain("li.wei@", publicView);
        Assert.Contains(id.ToString(), await anonymous.GetStringAsync($"{Technologies}?field=new-materials&country=LA&trlMin=5&trlMax=7&pricingMode=listed&language=zh&ipType=know-how&pageSize=100"));
        Assert.DoesNotContain(id.ToString(), await anonymous.GetStringAsync($"{Technologies}?field=biomedicine&pageSize=100"));
        Assert.DoesNotContain(id.ToString(), await anonymous.GetStringAsync($"{Technologies}?country=NP&pageSize=100"));
        Assert.DoesNotContain(id.ToString(), await anonymous.GetStringAsync($"{Technologies}?trlMin=7&pageSize=100"));

        // matchmaking follows: published, then under negotiation, then transferred
        await MatchmakingStatusAsync(company, id, "published");
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(other, HttpMethod.Post, $"{Technologies}/{id}/negotiation")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/negotiation")).Status);
        await MatchmakingStatusAsync(company, id, "under-negotiation");
        var renamed = FullTechnology(title + " (v2)", secret);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Put, $"{Technologies}/{id}", renamed, "\"8\"")).Status);
        await Eventually.TrueAsync(async () => (await company.GetStringAsync($"/api/matches/technologies/{id}")).Contains(title + " (v2)"),
            arrival, "the update reaches matchmaking");
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/transferred")).Status);
        await MatchmakingStatusAsync(company, id, "transferred");
        Assert.Equal("transferred", (await anonymous.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(owner, HttpMethod.Put, $"{Technologies}/{id}", renamed, "\"10\"")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/withdraw")).Status);

        // history: every version, who did it, never the confidential detail
        var history = await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}/history");
        Assert.Equal(["created", "updated", "submit", "return", "updated", "submit", "approve", "negotiation", "updated", "transferred"],
            history.EnumerateArray().Select(v => v.GetProperty("action").GetString()!).ToArray());
        Assert.Equal(Enumerable.Range(1, 10), history.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.DoesNotContain(secret, history.GetRawText());
        Assert.True(history[1].GetProperty("confidentialChanged").GetBoolean());
        Assert.Equal("Give the patent's legal status certificate number.", history[3].GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"{Technologies}/{id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"{Technologies}/{id}/history")).StatusCode);

        // the secret is in no event and no public answer
        var outbox = await fixture.Stack.Infrastructure.QueryAsync<string>(fixture.Stack.DatabaseName("listing"),
            "SELECT body::text FROM messaging_outbox WHERE body->>'technologyId' = @id", new { id = id.ToString() });
        Assert.Equal(4, outbox.Count); // published, updated (negotiation), updated (content), transferred
        Assert.All(outbox, body => Assert.DoesNotContain(secret, body));
        Assert.DoesNotContain(secret, await company.GetStringAsync($"/api/matches/technologies/{id}"));
        Assert.DoesNotContain(secret, await anonymous.GetStringAsync($"{Technologies}?pageSize=100"));
    }

    [Fact]
    public async Task A_withdrawn_technology_leaves_the_market_and_an_expired_one_is_expired_by_date()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var company = await fixture.As("company-member");
        using var anonymous = fixture.Anonymous();

        var withdrawn = await fixture.PublishTechnologyAsync(owner, "To be withdrawn " + Guid.NewGuid().ToString("N")[..6]);
        await MatchmakingStatusAsync(company, withdrawn, "published");
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{withdrawn}/withdraw",
            new JsonObject { ["reason"] = new string('x', 5000) })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{withdrawn}/withdraw",
            new JsonObject { ["reason"] = "Licensed outside the platform." })).Status);
        await MatchmakingStatusAsync(company, withdrawn, "withdrawn");
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"{Technologies}/{withdrawn}")).StatusCode);
        Assert.Equal("withdrawn", (await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{withdrawn}")).GetProperty("status").GetString());
        Assert.DoesNotContain(withdrawn.ToString(), await company.GetStringAsync("/api/matches/technologies?pageSize=100"));

        var expiring = await fixture.PublishTechnologyAsync(owner, "To expire " + Guid.NewGuid().ToString("N")[..6]);
        await MatchmakingStatusAsync(company, expiring, "published");
        await fixture.Stack.Infrastructure.ExecuteAsync(fixture.Stack.DatabaseName("listing"),
            "UPDATE technologies SET expires_on = current_date - 1 WHERE id = @expiring", new { expiring });
        await Eventually.TrueAsync(async () =>
                (await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{expiring}")).GetProperty("status").GetString() == "expired",
            arrival, "the expiry sweep expires the technology");
        await MatchmakingStatusAsync(company, expiring, "expired");
        var history = await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{expiring}/history");
        var last = history.EnumerateArray().Last();
        Assert.Equal("expire", last.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("actorUserId").ValueKind);
    }

    [Fact]
    public async Task A_verified_service_agency_moderates_and_an_unverified_one_cannot()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var admin = await fixture.As("platform-admin");
        using var anonymous = fixture.Anonymous();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var email = $"agency-{tag}@e2e.transferhub.test";
        const string password = "Agency-password-2026";
        using var registered = await anonymous.PostAsJsonAsync("/api/identity/organisations/register", new
        {
            organisation = new { name = $"E2E transfer agency {tag}", type = "service-agency", country = "CN", regionCode = "530100" },
            user = new { email, password, displayName = "Agency moderator " + tag },
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var agencyId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("organisationId").GetGuid();

        var first = await SubmittedAsync(owner, "Agency moderation A " + tag);
        using (var unverified = await LoginAsync(email, password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(unverified, HttpMethod.Post, $"{Technologies}/{first}/approve")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await unverified.GetAsync($"{Technologies}/moderation")).StatusCode);
        }
        Assert.True((await admin.PostAsync($"/api/identity/organisations/{agencyId}/verify", null)).IsSuccessStatusCode);
        using (var verified = await LoginAsync(email, password))
        {
            Assert.Contains(first.ToString(), await verified.GetStringAsync($"{Technologies}/moderation?pageSize=100"));
            Assert.Equal("published", (await Api.SendAsync(verified, HttpMethod.Post, $"{Technologies}/{first}/approve")).Body.GetProperty("status").GetString());
        }

        // the other paths: returned → withdrawn, and under negotiation → back on the market
        var second = await SubmittedAsync(owner, "Agency moderation B " + tag);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(admin, HttpMethod.Post, $"{Technologies}/{second}/return", new JsonObject { ["reasons"] = "Duplicate." })).Status);
        Assert.Equal("withdrawn", (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{second}/withdraw")).Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{first}/negotiation")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{first}/negotiation")).Status);
        Assert.Equal("published", (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{first}/resume")).Body.GetProperty("status").GetString());
        using var company = await fixture.As("company-member");
        await MatchmakingStatusAsync(company, first, "published");
        var history = await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{first}/history");
        Assert.Equal(["created", "submit", "approve", "negotiation", "resume"], history.EnumerateArray().Select(v => v.GetProperty("action").GetString()!).ToArray());
        Assert.Equal(agencyId.ToString(), history[2].GetProperty("actorOrganisationId").GetString());
    }

    private async Task<HttpClient> LoginAsync(string email, string password)
    {
        var client = fixture.Anonymous();
        using var login = await client.PostAsJsonAsync("/api/identity/login", new { email, password });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Guid> SubmittedAsync(HttpClient owner, string title)
    {
        var created = await Api.SendAsync(owner, HttpMethod.Post, Technologies, FullTechnology(title));
        var id = created.Body.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/submit")).Status);
        return id;
    }

    public static TheoryData<string, string, JsonNode?> BadTechnologies() => new()
    {
        { "trl", "trl", 0 },
        { "trl", "trl", 10 },
        { "stage", "stage", "beta" },
        { "pricingMode", "pricingMode", "barter" },
        { "currency", "currency", "XYZ" },
        { "language", "language", "xx" },
        { "fields", "fields", new JsonArray("quantum-magic") },
        { "targetCountries", "targetCountries", new JsonArray("ZZ") },
        { "transferModes", "transferModes", new JsonArray("gift") },
        { "owners", "owners", new JsonArray(new JsonObject { ["name"] = "A", ["share"] = 60 }, new JsonObject { ["name"] = "B", ["share"] = 30 }) },
        { "owners", "owners[0].share", new JsonArray(new JsonObject { ["name"] = "A", ["share"] = -5 }) },
        { "ipRecords", "ipRecords[0].type", new JsonArray(new JsonObject { ["type"] = "trademark", ["status"] = "granted" }) },
        { "translations", "translations[0].language", new JsonArray(new JsonObject { ["language"] = "en", ["title"] = "t", ["summary"] = "s" }) },
        { "price", "price", -1 },
        { "expiresOn", "expiresOn", "2001-01-01" },
        { "contact", "contact.email", new JsonObject { ["name"] = "n", ["email"] = "not-an-address" } },
        { "title", "title", "" },
    };

    [Theory]
    [MemberData(nameof(BadTechnologies))]
    public async Task Bad_input_is_a_400_naming_the_field_and_changes_nothing(string property, string field, JsonNode? value)
    {
        using var owner = await fixture.As("institution-member", 1);
        var before = await CountMineAsync(owner);
        var body = FullTechnology("Bad input " + property);
        body[property] = value?.DeepClone();
        var created = await Api.SendAsync(owner, HttpMethod.Post, Technologies, body);
        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.True(created.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {created.Body}");
        Assert.Equal(before, await CountMineAsync(owner));

        // the same body as an update of an existing draft: 400, and the draft is unchanged
        var draft = await Api.SendAsync(owner, HttpMethod.Post, Technologies, FullTechnology("Good draft"));
        var id = draft.Body.GetProperty("id").GetGuid();
        var update = await Api.SendAsync(owner, HttpMethod.Put, $"{Technologies}/{id}", body, "\"1\"");
        Assert.Equal(HttpStatusCode.BadRequest, update.Status);
        var after = await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}");
        Assert.Equal(1, after.GetProperty("version").GetInt32());
        Assert.Equal("Good draft", after.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Malformed_requests_and_wrong_callers_get_problem_details_not_500s()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var other = await fixture.As("institution-member", 1);
        using var admin = await fixture.As("platform-admin");
        using var anonymous = fixture.Anonymous();

        using var wrongType = new StringContent("""{"title":"t","summary":"s","language":"en","trl":"seven"}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsync(Technologies, wrongType)).StatusCode);
        using var broken = new StringContent("""{"title":""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsync(Technologies, broken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(Technologies, FullTechnology("anonymous"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync(Technologies, FullTechnology("admin is not a publisher"))).StatusCode);
        foreach (var query in new[] { "field=nope", "trlMin=0", "trlMin=8&trlMax=2", "pageSize=1000", "page=0", "status=draft", "country=Laos", "trlMin=abc" })
        {
            var response = await anonymous.GetAsync($"{Technologies}?{query}");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query} answered {(int)response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.GetAsync($"{Technologies}/mine?status=lost")).StatusCode);

        // someone else's published technology: readable, not changeable; a stale If-Match is a 412 and changes nothing
        var id = await fixture.PublishTechnologyAsync(owner, "Permissions " + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(other, HttpMethod.Put, $"{Technologies}/{id}", FullTechnology("taken over"), "\"3\"")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(other, HttpMethod.Post, $"{Technologies}/{id}/withdraw")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(admin, HttpMethod.Put, $"{Technologies}/{id}", FullTechnology("moderators do not edit"), "\"3\"")).Status);
        var stale = await Api.SendAsync(owner, HttpMethod.Put, $"{Technologies}/{id}", FullTechnology("stale edit"), "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(3, (await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}")).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"{Technologies}/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/listings/reference")).StatusCode);
    }

    [Fact]
    public async Task The_confidential_detail_is_shown_only_to_the_owner_and_organisations_it_grants()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var other = await fixture.As("institution-member", 1);
        using var company = await fixture.As("company-member");
        var secret = "CATALYST-RATIO-" + Guid.NewGuid().ToString("N");
        var id = await fixture.PublishTechnologyAsync(owner, "Confidential " + Guid.NewGuid().ToString("N")[..6], secret);
        var companyOrganisation = Guid.Parse(await CompanyOrganisationAsync(company));

        Assert.DoesNotContain(secret, await company.GetStringAsync($"{Technologies}/{id}"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(other, HttpMethod.Post, $"{Technologies}/{id}/access-grants",
            new JsonObject { ["organisationId"] = companyOrganisation })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/access-grants", new JsonObject())).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/access-grants",
            new JsonObject { ["organisationId"] = companyOrganisation })).Status);
        Assert.Contains(secret, await company.GetStringAsync($"{Technologies}/{id}"));
        Assert.DoesNotContain(secret, await other.GetStringAsync($"{Technologies}/{id}"));
        Assert.DoesNotContain(secret, await company.GetStringAsync($"{Technologies}?pageSize=100"));
        Assert.Contains(companyOrganisation.ToString(), await owner.GetStringAsync($"{Technologies}/{id}/access-grants"));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"{Technologies}/{id}/access-grants/{companyOrganisation}")).StatusCode);
        Assert.DoesNotContain(secret, await company.GetStringAsync($"{Technologies}/{id}"));
    }

    private static async Task<string> CompanyOrganisationAsync(HttpClient company)
    {
        var me = await company.GetFromJsonAsync<JsonElement>("/api/identity/me");
        return me.GetProperty("memberships")[0].GetProperty("organisationId").GetString()!;
    }

    private static async Task<long> CountMineAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>($"{Technologies}/mine?pageSize=1")).GetProperty("total").GetInt64();

    private static async Task MatchmakingStatusAsync(HttpClient reader, Guid id, string status) =>
        await Eventually.TrueAsync(async () =>
        {
            using var response = await reader.GetAsync($"/api/matches/technologies/{id}");
            return response.IsSuccessStatusCode &&
                (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() == status;
        }, arrival, $"matchmaking shows technology {id} as {status}");
}
