using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;

namespace TransferHub.Web.Gateway;

/// <summary>
/// The portal's only way to the services: HTTP calls to the gateway (<c>Gateway:BaseUrl</c>) carrying the user's
/// access token. Expected failures (wrong password, expired token, gateway down) come back as statuses, never as
/// exceptions, so pages show a friendly message instead of an error page.
/// </summary>
public sealed class GatewayClient(HttpClient http, ILogger<GatewayClient> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<LoginOutcome> LoginAsync(string email, string password, CancellationToken ct)
    {
        try
        {
            // Buffered, so the body goes with a Content-Length rather than chunked.
            using var content = JsonContent.Create(new LoginRequest(email, password), options: Json);
            await content.LoadIntoBufferAsync(ct);
            using var response = await http.PostAsync("api/identity/login", content, ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var tokens = await response.Content.ReadFromJsonAsync<TokenResponse>(Json, ct);
                    return string.IsNullOrWhiteSpace(tokens?.AccessToken)
                        ? new LoginOutcome(LoginStatus.Failed)
                        : new LoginOutcome(LoginStatus.Success, tokens);
                case HttpStatusCode.Unauthorized:
                    return new LoginOutcome(LoginStatus.WrongCredentials);
                case HttpStatusCode.Locked:
                    return new LoginOutcome(LoginStatus.LockedOut);
                case HttpStatusCode.TooManyRequests:
                    return new LoginOutcome(LoginStatus.TooManyAttempts);
                case >= HttpStatusCode.InternalServerError:
                    logger.LogWarning("Login through the gateway answered {Status}", (int)response.StatusCode);
                    return new LoginOutcome(LoginStatus.Unavailable);
                default:
                    logger.LogWarning("Login through the gateway answered {Status}", (int)response.StatusCode);
                    return new LoginOutcome(LoginStatus.Failed);
            }
        }
        catch (Exception ex) when (IsUnavailable(ex, ct))
        {
            logger.LogWarning("Gateway unreachable for login: {Error}", ex.Message);
            return new LoginOutcome(LoginStatus.Unavailable);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            logger.LogWarning("Unreadable login answer from the gateway: {Error}", ex.Message);
            return new LoginOutcome(LoginStatus.Failed);
        }
    }

    /// <summary>Published technologies known to matchmaking, newest first.</summary>
    public Task<GatewayResult<TechnologyPage>> GetTechnologiesAsync(string accessToken, int page, int pageSize, CancellationToken ct) =>
        GetAsync<TechnologyPage>(
            string.Create(CultureInfo.InvariantCulture, $"api/matches/technologies?page={page}&pageSize={pageSize}"), accessToken, ct);

    /// <summary>
    /// Published technologies matching a search (anonymous: search answers public data only). <paramref name="query"/> is
    /// the search API's query string without "?" (q, filters, sort, page); highlights are always asked for.
    /// </summary>
    public Task<GatewayResult<SearchPage>> SearchTechnologiesAsync(string query, CancellationToken ct) =>
        GetAsync<SearchPage>($"api/search/technologies?{query}&highlight=true", accessToken: null, ct);

    private async Task<GatewayResult<T>> GetAsync<T>(string path, string? accessToken, CancellationToken ct)
        where T : class
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (accessToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            }
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var value = await response.Content.ReadFromJsonAsync<T>(Json, ct);
                    return value is null ? new(GatewayStatus.Failed) : new(GatewayStatus.Ok, value);
                case HttpStatusCode.Unauthorized:
                    return new(GatewayStatus.Unauthorized);
                case HttpStatusCode.Forbidden:
                    return new(GatewayStatus.Forbidden);
                case HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong:
                    return new(GatewayStatus.Rejected, Problem: await ProblemAsync(response, ct));
                case >= HttpStatusCode.InternalServerError:
                    logger.LogWarning("GET {Path} through the gateway answered {Status}", path, (int)response.StatusCode);
                    return new(GatewayStatus.Unavailable);
                default:
                    logger.LogWarning("GET {Path} through the gateway answered {Status}", path, (int)response.StatusCode);
                    return new(GatewayStatus.Failed);
            }
        }
        catch (Exception ex) when (IsUnavailable(ex, ct))
        {
            logger.LogWarning("Gateway unreachable for GET {Path}: {Error}", path, ex.Message);
            return new(GatewayStatus.Unavailable);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            logger.LogWarning("Unreadable answer to GET {Path}: {Error}", path, ex.Message);
            return new(GatewayStatus.Failed);
        }
    }

    /// <summary>What a 400 ProblemDetails says: its field errors, else its title (null when the body is not one).</summary>
    private static async Task<string?> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var problem = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var root = problem.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                var messages = errors.EnumerateObject().SelectMany(e => e.Value.ValueKind == JsonValueKind.Array
                    ? e.Value.EnumerateArray().Select(m => m.GetString()) : []).OfType<string>().ToList();
                if (messages.Count > 0)
                {
                    return string.Join(" ", messages);
                }
            }
            return root.TryGetProperty("title", out var title) ? title.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Connection refused, timeouts and an open circuit; not the user leaving (that cancellation propagates).</summary>
    private static bool IsUnavailable(Exception ex, CancellationToken ct) =>
        ex is HttpRequestException or ExecutionRejectedException
        || (ex is OperationCanceledException && !ct.IsCancellationRequested);
}
