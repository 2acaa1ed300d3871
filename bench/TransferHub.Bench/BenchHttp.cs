using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TransferHub.Bench;

/// <summary>Logging in through the gateway, waiting out 429s, and failing with a message that says what to do.</summary>
public static class BenchHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly JsonSerializerOptions json = Json;

    public static async Task<List<Account>> AccountsAsync(string file) =>
        JsonSerializer.Deserialize<List<Account>>(await File.ReadAllTextAsync(file), json)
            ?? throw new InvalidOperationException($"{file} holds no accounts.");

    public static async Task<HttpClient> LoginAsync(Uri gateway, Account account, ThrottleCounter throttled)
    {
        var client = new HttpClient(new RetryAfterHandler(throttled) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var response = await client.PostAsJsonAsync("/api/identity/login", new { account.Email, account.Password }, json);
        await EnsureAsync(response, $"login as {account.Email}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(json)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException(
                $"{what} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]} (is the stack up? run deploy/up.sh)");
        }
    }

    /// <summary>Creates a technology as the institution, submits it and has the moderator approve it; returns the approved view.</summary>
    public static async Task<JsonElement> PublishTechnologyAsync(HttpClient institution, HttpClient moderator, object technology)
    {
        using var created = await institution.PostAsJsonAsync("/api/listings/technologies", technology, Json);
        await EnsureAsync(created, "create");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
        using var submitted = await institution.PostAsync($"/api/listings/technologies/{id}/submit", null);
        await EnsureAsync(submitted, "submit");
        using var approved = await moderator.PostAsync($"/api/listings/technologies/{id}/approve", null);
        await EnsureAsync(approved, "approve");
        return await approved.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    /// <summary>Prints the result as indented JSON and writes it to <paramref name="file"/> when given.</summary>
    public static async Task WriteResultAsync(object result, JsonSerializerOptions json, string? file)
    {
        var text = JsonSerializer.Serialize(result, new JsonSerializerOptions(json) { WriteIndented = true });
        Console.WriteLine(text);
        if (file is not null)
        {
            await File.WriteAllTextAsync(file, text + Environment.NewLine);
            Console.WriteLine($"written to {file}");
        }
    }

    public sealed record Account(string Role, string Email, string Password);

    public sealed class ThrottleCounter
    {
        private int count;

        public int Count => count;

        public void Add() => Interlocked.Increment(ref count);
    }

    /// <summary>Waits out a 429 (the gateway's per-user limit) and tries again, counting how often it happened.</summary>
    public sealed class RetryAfterHandler(ThrottleCounter throttled) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            for (var attempt = 0; ; attempt++)
            {
                var response = await base.SendAsync(request, ct);
                if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 5)
                {
                    return response;
                }
                throttled.Add();
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                response.Dispose();
                await Task.Delay(wait, ct);
            }
        }
    }
}
