using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using TransferHub.Matchmaking.Contracts;
using TransferHub.Registration.Contracts;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>
/// Listing follows other services' events over the real broker: an NDA grant from matchmaking opens the confidential
/// detail, a registered contract counts as a deal and, for an assignment, marks the technology transferred. The events
/// are published here as their producers will publish them (those producers are built in their own issues).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ListingConsumerTests(StackFixture fixture) : IAsyncLifetime
{
    private const string Technologies = "/api/listings/technologies";
    private static readonly TimeSpan arrival = TimeSpan.FromSeconds(30);
    private IBusControl bus = null!;

    public async Task InitializeAsync() => bus = await fixture.StartBusAsync();

    public async Task DisposeAsync() => await bus.StopAsync();

    [Fact]
    public async Task An_nda_grant_opens_the_confidential_detail_and_registered_contracts_count_and_transfer()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var company = await fixture.As("company-member");
        var secret = "NDA-ONLY-" + Guid.NewGuid().ToString("N");
        var id = await fixture.PublishTechnologyAsync(owner, "Consumers " + Guid.NewGuid().ToString("N")[..6], secret);
        var ownerOrganisation = await OrganisationOfAsync(owner);
        var companyOrganisation = await OrganisationOfAsync(company);

        Assert.DoesNotContain(secret, await company.GetStringAsync($"{Technologies}/{id}"));
        await bus.Publish(new ConfidentialAccessGranted(Guid.NewGuid(), id, ownerOrganisation, companyOrganisation, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => (await company.GetStringAsync($"{Technologies}/{id}")).Contains(secret), arrival,
            "the NDA grant lets the company read the confidential detail");
        Assert.Contains("\"nda\"", await owner.GetStringAsync($"{Technologies}/{id}/access-grants"));

        // a non-exclusive licence counts as a deal and leaves the technology on the market; the same message twice counts once
        var licence = Contract(id, ownerOrganisation, companyOrganisation, ContractCategories.Licensing, "patent-ordinary");
        var messageId = NewId.NextGuid();
        await bus.Publish(licence, context => context.MessageId = messageId);
        await bus.Publish(licence, context => context.MessageId = messageId);
        await Eventually.TrueAsync(async () => (await TechnologyAsync(owner, id)).GetProperty("dealsCount").GetInt32() == 1, arrival,
            "the licence counts as one deal");
        Assert.Equal("published", (await TechnologyAsync(owner, id)).GetProperty("status").GetString());

        // an assignment takes it off the market, with the contract in its history and the event reaching matchmaking
        await bus.Publish(Contract(id, ownerOrganisation, companyOrganisation, ContractCategories.Transfer, null));
        await Eventually.TrueAsync(async () => (await TechnologyAsync(owner, id)).GetProperty("status").GetString() == "transferred", arrival,
            "the registered assignment marks the technology transferred");
        Assert.Equal(2, (await TechnologyAsync(owner, id)).GetProperty("dealsCount").GetInt32());
        var last = (await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}/history")).EnumerateArray().Last();
        Assert.Equal("contract-registered", last.GetProperty("action").GetString());
        Assert.StartsWith("registered contract 26530100", last.GetProperty("reason").GetString());
        await Eventually.TrueAsync(async () =>
            (await company.GetFromJsonAsync<JsonElement>($"/api/matches/technologies/{id}")).GetProperty("status").GetString() == "transferred",
            arrival, "matchmaking learns the technology was transferred");

        // a contract naming a technology of neither party changes nothing
        var stranger = await fixture.PublishTechnologyAsync(owner, "Not theirs " + Guid.NewGuid().ToString("N")[..6]);
        await bus.Publish(Contract(stranger, companyOrganisation, Guid.NewGuid(), ContractCategories.Transfer, null));
        await bus.Publish(Contract(id, ownerOrganisation, companyOrganisation, ContractCategories.Consulting, null)); // a marker after it
        await Eventually.TrueAsync(async () => (await TechnologyAsync(owner, id)).GetProperty("dealsCount").GetInt32() == 3, arrival,
            "the marker contract arrives");
        var untouched = await TechnologyAsync(owner, stranger);
        Assert.Equal("published", untouched.GetProperty("status").GetString());
        Assert.Equal(0, untouched.GetProperty("dealsCount").GetInt32());
    }

    private static ContractRegistered Contract(Guid technology, Guid seller, Guid buyer, string category, string? subCategory) =>
        new(Guid.NewGuid(), 1, "26530100" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "530100-01", category, subCategory, seller, buyer, technology, 1_200_000m, 1_000_000m, "CNY", DateTimeOffset.UtcNow);

    private static async Task<JsonElement> TechnologyAsync(HttpClient client, Guid id) =>
        await client.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}");

    private static async Task<Guid> OrganisationOfAsync(HttpClient client) =>
        Guid.Parse((await client.GetFromJsonAsync<JsonElement>("/api/identity/me")).GetProperty("memberships")[0].GetProperty("organisationId").GetString()!);
}
