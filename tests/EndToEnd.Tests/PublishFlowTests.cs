using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>
/// The first real flow: listing writes the technology and its TechnologyPublished outbox row in one transaction, the
/// relay publishes it over RabbitMQ, matchmaking stores it through its inbox, and the gateway serves it from there.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PublishFlowTests(StackFixture fixture)
{
    private static readonly TimeSpan arrival = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_published_technology_arrives_in_matchmaking_without_its_confidential_detail()
    {
        using var institution = await fixture.As("institution-member");
        const string secret = "SECRET-PROCESS-PARAMETERS-7731";
        var id = await fixture.PublishTechnologyAsync(institution, "Solar-powered cold storage for highland fruit", secret);

        using var company = await fixture.As("company-member");
        await Eventually.TrueAsync(async () => (await company.GetAsync($"/api/matches/technologies/{id}")).StatusCode == HttpStatusCode.OK,
            arrival, "the technology reaches matchmaking");
        var candidate = await company.GetStringAsync($"/api/matches/technologies/{id}");
        Assert.Contains("Solar-powered cold storage", candidate);
        Assert.DoesNotContain(secret, candidate);
        var list = await company.GetStringAsync("/api/matches/technologies?pageSize=100");
        Assert.Contains(id.ToString(), list);

        using var anonymous = fixture.Anonymous();
        var publicView = await anonymous.GetStringAsync($"/api/listings/technologies/{id}");
        Assert.DoesNotContain(secret, publicView);
        var ownerView = await institution.GetStringAsync($"/api/listings/technologies/{id}");
        Assert.Contains(secret, ownerView);
        var outboxBody = await fixture.Stack.Infrastructure.QueryScalarAsync<string>(fixture.Stack.DatabaseName("listing"),
            "SELECT body::text FROM messaging_outbox WHERE body->>'technologyId' = @id", new { id = id.ToString() });
        Assert.DoesNotContain(secret, outboxBody);
    }

    [Fact]
    public async Task A_draft_is_invisible_to_others_and_only_the_owner_submits_it()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var created = await owner.PostAsJsonAsync("/api/listings/technologies", new
        {
            title = "Draft only", summary = "s", language = "zh", fields = new[] { "new-materials" }, trl = 3,
            transferModes = new[] { "assignment" },
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);

        using var other = await fixture.As("institution-member", 1);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/listings/technologies/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/listings/technologies/{id}/submit", null)).StatusCode);
        using var anonymous = fixture.Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/listings/technologies/{id}")).StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/listings/technologies/{id}/submit");
        stale.Headers.TryAddWithoutValidation("If-Match", "\"7\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await owner.SendAsync(stale)).StatusCode);

        using var current = new HttpRequestMessage(HttpMethod.Post, $"/api/listings/technologies/{id}/submit");
        current.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await owner.SendAsync(current)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsync($"/api/listings/technologies/{id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/listings/technologies/{id}/submit", null)).StatusCode);
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_first_answer_and_refuses_another_body()
    {
        using var institution = await fixture.As("institution-member");
        var key = "e2e-" + Guid.NewGuid().ToString("N");
        var body = new { title = "Idempotent create", summary = "same body twice", language = "vi" };
        var first = await PostWithKeyAsync(institution, key, body);
        var second = await PostWithKeyAsync(institution, key, body);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(first.Id, second.Id);
        var other = await PostWithKeyAsync(institution, key, new { title = "Another body", summary = "x", language = "vi" });
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
    }

    [Fact]
    public async Task Matchmaking_killed_while_technologies_are_published_gets_each_event_exactly_once()
    {
        using var institution = await fixture.As("institution-member");
        var matchmaking = fixture.Stack["matchmaking"];
        var ids = new List<Guid>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add(await fixture.PublishTechnologyAsync(institution, $"Kill test {i}"));
            if (i == 20)
            {
                matchmaking.Kill();
            }
        }
        Assert.False(matchmaking.IsRunning);
        matchmaking.Start();
        await matchmaking.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        await AssertArrivedExactlyOnceAsync(ids);
    }

    [LocalBrokerFact]
    public async Task Nothing_is_lost_when_the_broker_restarts_mid_run()
    {
        using var institution = await fixture.As("institution-member");
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await fixture.PublishTechnologyAsync(institution, $"Before broker restart {i}"));
        }
        await fixture.Stack.Infrastructure.RestartBrokerAsync(TimeSpan.FromSeconds(3), async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                ids.Add(await fixture.PublishTechnologyAsync(institution, $"While the broker is down {i}"));
            }
        });
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await fixture.PublishTechnologyAsync(institution, $"After broker restart {i}"));
        }
        await AssertArrivedExactlyOnceAsync(ids, TimeSpan.FromSeconds(90));
    }

    private async Task AssertArrivedExactlyOnceAsync(IReadOnlyList<Guid> ids, TimeSpan? timeout = null)
    {
        var infrastructure = fixture.Stack.Infrastructure;
        var database = fixture.Stack.DatabaseName("matchmaking");
        var array = ids.ToArray();
        await Eventually.TrueAsync(async () =>
                await infrastructure.QueryScalarAsync<long>(database, "SELECT count(*) FROM technologies WHERE id = ANY(@array)", new { array }) == ids.Count,
            timeout ?? TimeSpan.FromSeconds(60), $"all {ids.Count} technologies reach matchmaking");
        Assert.Equal(0L, await infrastructure.QueryScalarAsync<long>(database,
            "SELECT count(*) FROM technologies WHERE id = ANY(@array) AND applied_events <> 1", new { array }));
        var listing = fixture.Stack.DatabaseName("listing");
        await Eventually.TrueAsync(async () =>
                await infrastructure.QueryScalarAsync<long>(listing, "SELECT count(*) FROM messaging_outbox WHERE sent_at IS NULL") == 0,
            TimeSpan.FromSeconds(10), "the relay marks every outbox row sent");
    }

    private static async Task<(HttpStatusCode Status, Guid? Id)> PostWithKeyAsync(HttpClient client, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/listings/technologies") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        Guid? id = response.StatusCode == HttpStatusCode.Created
            ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()
            : null;
        return (response.StatusCode, id);
    }
}
