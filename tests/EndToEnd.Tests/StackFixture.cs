using System.Net.Http.Json;
using System.Text.Json;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>One running stack shared by every end-to-end test class (they run one after another).</summary>
public sealed class StackFixture : IAsyncLifetime
{
    public Stack Stack { get; private set; } = null!;
    public Uri Gateway => Stack.Gateway.BaseAddress;

    public async Task InitializeAsync() => Stack = await Stack.StartAsync();

    public async Task DisposeAsync() => await Stack.DisposeAsync();

    public HttpClient Anonymous() => new() { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };

    public Task<HttpClient> As(string role, int index = 0) => DemoAccounts.ClientAsync(Gateway, role, index);

    /// <summary>Creates and publishes a technology through the gateway; returns its id.</summary>
    public static async Task<Guid> PublishTechnologyAsync(HttpClient institution, string title, string? confidential = null)
    {
        using var created = await institution.PostAsJsonAsync("/api/listings/technologies", new
        {
            title,
            summary = "A technology published by an end-to-end test: " + title,
            language = "en",
            keywords = new[] { "test", "green energy" },
            trl = 6,
            confidentialDetail = confidential,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var published = await institution.PostAsync($"/api/listings/technologies/{id}/publish", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, published.StatusCode);
        return id;
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
