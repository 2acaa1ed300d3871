using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>
/// Companies' needs and open calls (双向揭榜) through the gateway: moderation, anonymity, proposals from institutions,
/// shortlist and selection, fulfilment and expiry, with the events reaching matchmaking.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class NeedAndOpenCallTests(StackFixture fixture)
{
    private const string Needs = "/api/listings/needs";
    private static readonly TimeSpan arrival = TimeSpan.FromSeconds(30);

    private static JsonObject Need(string title, bool openCall = true, string? secret = null) => new()
    {
        ["title"] = title,
        ["summary"] = "Looking for a low-cost way to turn cassava starch wastewater into biogas for our factory near Vientiane.",
        ["language"] = "en",
        ["keywords"] = new JsonArray("cassava", "wastewater", "biogas"),
        ["translations"] = new JsonArray(new JsonObject { ["language"] = "lo", ["title"] = "ນ້ຳເສຍມັນຕົ້ນ " + title, ["summary"] = "ຕ້ອງການເຕັກໂນໂລຊີ" }),
        ["fields"] = new JsonArray("green-energy", "environment"),
        ["trlMin"] = 6,
        ["budget"] = 150000,
        ["currency"] = "USD",
        ["deadline"] = Day(120),
        ["country"] = "LA",
        ["anonymous"] = true,
        ["openCall"] = openCall,
        ["closesOn"] = openCall ? Day(30) : null,
        ["contact"] = new JsonObject { ["name"] = "Somchai", ["email"] = "bd@lancang-energy.transferhub.test" },
        ["confidentialDetail"] = secret,
    };

    private static string Day(int fromToday) => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(fromToday)).ToString("yyyy-MM-dd");

    [Fact]
    public async Task An_open_call_is_moderated_answered_by_institutions_decided_by_the_company_and_fulfilled()
    {
        using var company = await fixture.As("company-member");
        using var institution = await fixture.As("institution-member", 0);
        using var institution2 = await fixture.As("institution-member", 1);
        using var admin = await fixture.As("platform-admin");
        using var anonymous = fixture.Anonymous();
        var secret = "PLANT-LAYOUT-" + Guid.NewGuid().ToString("N");
        var approach = "APPROACH-" + Guid.NewGuid().ToString("N");
        var title = "Cassava wastewater to biogas " + Guid.NewGuid().ToString("N")[..6];

        Assert.Equal(HttpStatusCode.Forbidden, (await institution.PostAsJsonAsync(Needs, Need(title))).StatusCode);
        var created = await Api.SendAsync(company, HttpMethod.Post, Needs, Need(title, secret: secret));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Body.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"{Needs}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(company, HttpMethod.Post, $"{Needs}/{id}/submit")).Status);
        Assert.Contains(id.ToString(), await admin.GetStringAsync($"{Needs}/moderation?pageSize=100"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(company, HttpMethod.Post, $"{Needs}/{id}/approve")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(admin, HttpMethod.Post, $"{Needs}/{id}/approve")).Status);

        // public and anonymous: no company, no contact, no confidential detail; listed as an open call
        var publicView = await anonymous.GetFromJsonAsync<JsonElement>($"{Needs}/{id}");
        Assert.Equal(JsonValueKind.Null, publicView.GetProperty("organisationId").ValueKind);
        Assert.DoesNotContain(secret, publicView.GetRawText());
        Assert.DoesNotContain("lancang", publicView.GetRawText());
        Assert.Contains(id.ToString(), await anonymous.GetStringAsync($"{Needs}?openCall=true&field=green-energy&country=LA&language=lo&pageSize=100"));
        Assert.DoesNotContain(id.ToString(), await anonymous.GetStringAsync($"{Needs}?openCall=false&pageSize=100"));
        await MatchmakingNeedStatusAsync(company, id, "published");
        var known = await company.GetFromJsonAsync<JsonElement>($"/api/matches/needs/{id}");
        Assert.Equal(JsonValueKind.Null, known.GetProperty("organisationId").ValueKind);
        Assert.True(known.GetProperty("openCall").GetBoolean());

        // proposals: one per organisation, not from the company itself, approach visible to the company and the proposer only
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(company, HttpMethod.Post, $"{Needs}/{id}/proposals", Proposal("own"))).Status);
        var first = await Api.SendAsync(institution, HttpMethod.Post, $"{Needs}/{id}/proposals", Proposal("Anaerobic baffled reactor", approach));
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var firstId = first.Body.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(institution, HttpMethod.Post, $"{Needs}/{id}/proposals", Proposal("again"))).Status);
        var second = await Api.SendAsync(institution2, HttpMethod.Post, $"{Needs}/{id}/proposals", Proposal("Covered lagoon"));
        Assert.Equal(HttpStatusCode.Created, second.Status);
        var secondId = second.Body.GetProperty("id").GetGuid();
        var companySees = await company.GetFromJsonAsync<JsonElement>($"{Needs}/{id}/proposals");
        Assert.Equal(2, companySees.GetArrayLength());
        Assert.Contains(approach, companySees.GetRawText());
        var otherSees = await institution2.GetFromJsonAsync<JsonElement>($"{Needs}/{id}/proposals");
        Assert.Equal(1, otherSees.GetArrayLength());
        Assert.DoesNotContain(approach, otherSees.GetRawText());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Needs}/{id}/proposals")).StatusCode);

        // decisions: only the company decides, only the proposer withdraws
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(institution, HttpMethod.Post, $"/api/listings/proposals/{firstId}/select")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(institution2, HttpMethod.Post, $"/api/listings/proposals/{firstId}/withdraw")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(company, HttpMethod.Post, $"/api/listings/proposals/{firstId}/withdraw")).Status);
        Assert.Equal("shortlisted", (await Api.SendAsync(company, HttpMethod.Post, $"/api/listings/proposals/{firstId}/shortlist")).Body.GetProperty("status").GetString());
        var selected = await Api.SendAsync(company, HttpMethod.Post, $"/api/listings/proposals/{firstId}/select", new JsonObject { ["note"] = "Site visit in March." });
        Assert.Equal("selected", selected.Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(institution2, HttpMethod.Post, $"/api/listings/proposals/{secondId}/withdraw")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(institution2, HttpMethod.Post, $"/api/listings/proposals/{secondId}/withdraw")).Status);
        await MatchmakingNeedStatusAsync(company, id, "under-negotiation");
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(institution2, HttpMethod.Post, $"{Needs}/{id}/proposals", Proposal("late"))).Status);

        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(company, HttpMethod.Post, $"{Needs}/{id}/fulfilled")).Status);
        await MatchmakingNeedStatusAsync(company, id, "fulfilled");
        var history = await company.GetFromJsonAsync<JsonElement>($"{Needs}/{id}/history");
        Assert.Equal(["created", "submit", "approve", "select-proposal", "fulfilled"],
            history.EnumerateArray().Select(v => v.GetProperty("action").GetString()!).ToArray());
        Assert.DoesNotContain(secret, history.GetRawText());

        // events: NeedPublished, OpenCallPublished, 2 × ProposalSubmitted, NeedUpdated, NeedClosed — none with a secret
        var bodies = await fixture.Stack.Infrastructure.QueryAsync<string>(fixture.Stack.DatabaseName("listing"),
            "SELECT body::text FROM messaging_outbox WHERE body->>'needId' = @id", new { id = id.ToString() });
        Assert.Equal(6, bodies.Count);
        Assert.All(bodies, body => Assert.DoesNotContain(secret, body));
        Assert.All(bodies, body => Assert.DoesNotContain(approach, body));
    }

    [Fact]
    public async Task Bad_needs_and_proposals_are_400s_naming_the_field_and_a_need_expires_at_its_deadline()
    {
        using var company = await fixture.As("company-member");
        using var institution = await fixture.As("institution-member", 0);
        using var admin = await fixture.As("platform-admin");
        var before = (await company.GetFromJsonAsync<JsonElement>($"{Needs}/mine?pageSize=1")).GetProperty("total").GetInt64();
        foreach (var (field, change) in new (string, Action<JsonObject>)[]
                 {
                     ("country", n => n.Remove("country")),
                     ("country", n => n["country"] = "XX"),
                     ("closesOn", n => n.Remove("closesOn")),
                     ("closesOn", n => n["closesOn"] = Day(200)),
                     ("closesOn", n => { n["openCall"] = false; }),
                     ("budget", n => n["budget"] = -3),
                     ("currency", n => n["currency"] = "ABC"),
                     ("trlMin", n => n["trlMin"] = 12),
                     ("deadline", n => n["deadline"] = "2020-01-01"),
                     ("fields", n => n["fields"] = new JsonArray("alchemy")),
                 })
        {
            var body = Need("Bad need");
            change(body);
            var answer = await Api.SendAsync(company, HttpMethod.Post, Needs, body);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.True(answer.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {answer.Body}");
        }
        Assert.Equal(before, (await company.GetFromJsonAsync<JsonElement>($"{Needs}/mine?pageSize=1")).GetProperty("total").GetInt64());

        // a need that is not an open call takes no proposals; a bad proposal is a 400; the need expires at its deadline
        var created = await Api.SendAsync(company, HttpMethod.Post, Needs, Need("Plain need " + Guid.NewGuid().ToString("N")[..6], openCall: false));
        var id = created.Body.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(company, HttpMethod.Post, $"{Needs}/{id}/submit")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(admin, HttpMethod.Post, $"{Needs}/{id}/approve")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(institution, HttpMethod.Post, $"{Needs}/{id}/proposals", Proposal("p"))).Status);
        var badProposal = Proposal("p");
        badProposal["language"] = "klingon";
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(institution, HttpMethod.Post, $"{Needs}/{id}/proposals", badProposal)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(company, HttpMethod.Put, $"{Needs}/{id}", Need("now an open call"), "\"3\"")).Status);

        await MatchmakingNeedStatusAsync(company, id, "published");
        await fixture.Stack.Infrastructure.ExecuteAsync(fixture.Stack.DatabaseName("listing"),
            "UPDATE needs SET deadline = current_date - 1 WHERE id = @id", new { id });
        await MatchmakingNeedStatusAsync(company, id, "expired");
        Assert.Equal("expired", (await company.GetFromJsonAsync<JsonElement>($"{Needs}/{id}")).GetProperty("status").GetString());
    }

    private static JsonObject Proposal(string title, string? approach = null) => new()
    {
        ["title"] = title,
        ["summary"] = "Two-stage anaerobic digestion with a baffled reactor; 60% methane, payback in three years.",
        ["language"] = "en",
        ["approach"] = approach,
        ["price"] = 90000,
        ["currency"] = "USD",
    };

    private static async Task MatchmakingNeedStatusAsync(HttpClient reader, Guid id, string status) =>
        await Eventually.TrueAsync(async () =>
        {
            using var response = await reader.GetAsync($"/api/matches/needs/{id}");
            return response.IsSuccessStatusCode &&
                (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() == status;
        }, arrival, $"matchmaking shows need {id} as {status}");
}
