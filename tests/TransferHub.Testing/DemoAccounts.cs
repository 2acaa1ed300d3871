using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TransferHub.Testing;

public sealed record DemoAccount(string Role, string Email, string Password, string Organisation);

public sealed record Tokens(string AccessToken, string RefreshToken, int ExpiresIn);

/// <summary>The demo accounts of <c>seeds/demo-accounts.json</c> and logging in with them through the gateway.</summary>
public static class DemoAccounts
{
    private static readonly JsonSerializerOptions json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<DemoAccount> All { get; } =
        JsonSerializer.Deserialize<List<DemoAccount>>(File.ReadAllText(RepoPaths.Combine("seeds", "demo-accounts.json")), json)!;

    /// <summary>The first account with the role, or the n-th (0-based) when several hold it.</summary>
    public static DemoAccount WithRole(string role, int index = 0) => All.Where(a => a.Role == role).ElementAt(index);

    public static async Task<Tokens> LoginAsync(HttpClient gateway, DemoAccount account)
    {
        using var response = await gateway.PostAsJsonAsync("/api/identity/login", new { account.Email, account.Password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"login as {account.Email} answered {(int)response.StatusCode}: {body}");
        }
        return JsonSerializer.Deserialize<Tokens>(body, json)!;
    }

    /// <summary>An HttpClient on the gateway that carries the account's access token.</summary>
    public static async Task<HttpClient> ClientAsync(Uri gateway, string role, int index = 0)
    {
        var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        var tokens = await LoginAsync(client, WithRole(role, index));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }
}

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the message after the timeout.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Not true after {timeout}: {because}");
    }
}
