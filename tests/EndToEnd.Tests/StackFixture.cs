using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>One running stack shared by every end-to-end test class (they run one after another).</summary>
public sealed class StackFixture : IAsyncLifetime
{
    public Stack Stack { get; private set; } = null!;
    public Uri Gateway => Stack.Gateway.BaseAddress;

    public async Task InitializeAsync() => Stack = await Stack.StartAsync();

    public async Task DisposeAsync() => await Stack.DisposeAsync();

    /// <summary>A started bus on the stack's virtual host, to publish events as their producers will (stop it when done).</summary>
    public async Task<IBusControl> StartBusAsync()
    {
        var infrastructure = Stack.Infrastructure;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(infrastructure.RabbitHost, (ushort)infrastructure.RabbitPort,
            Stack.VirtualHost, host =>
            {
                host.Username(infrastructure.RabbitUser);
                host.Password(infrastructure.RabbitPassword);
            }));
        await bus.StartAsync();
        return bus;
    }

    public HttpClient Anonymous() => new() { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };

    public Task<HttpClient> As(string role, int index = 0) => DemoAccounts.ClientAsync(Gateway, role, index);

    /// <summary>Creates, submits and (as the demo platform admin) approves a technology through the gateway; returns its id.</summary>
    public async Task<Guid> PublishTechnologyAsync(HttpClient institution, string title, string? confidential = null, string language = "en", string? summary = null)
    {
        using var created = await institution.PostAsJsonAsync("/api/listings/technologies", new
        {
            title,
            summary = summary ?? "A technology published by an end-to-end test: " + title,
            language,
            keywords = new[] { "test", "green energy" },
            fields = new[] { "green-energy" },
            trl = 6,
            transferModes = new[] { "non-exclusive-licence" },
            confidentialDetail = confidential,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var submitted = await institution.PostAsync($"/api/listings/technologies/{id}/submit", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, submitted.StatusCode);
        using var moderator = await As("platform-admin");
        using var approved = await moderator.PostAsync($"/api/listings/technologies/{id}/approve", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, approved.StatusCode);
        return id;
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
