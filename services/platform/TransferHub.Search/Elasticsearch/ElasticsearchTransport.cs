using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;

namespace TransferHub.Search.Elasticsearch;

/// <summary>An answer of the cluster: its status and its JSON body (null for HEAD and empty bodies).</summary>
internal sealed record EsResponse(HttpStatusCode Status, JsonNode? Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// JSON over HTTP to the cluster with one retry policy for every request (Polly): 429, 5xx, a connection failure or an
/// HTTP timeout are retried with exponential backoff and jitter (the server's Retry-After when it sends one); the body
/// is rebuilt for each attempt. What is still an error afterwards is returned to the caller (which decides, e.g. 409 is
/// a stale write) or thrown as <see cref="ElasticsearchException"/>.
/// </summary>
internal sealed class ElasticsearchTransport
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        // Thai, Burmese, Chinese … as UTF-8, not \u escapes (the bodies are a third of the size); still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeHeaderValue NdjsonType = new("application/x-ndjson") { CharSet = "utf-8" };

    private readonly HttpClient http;
    private readonly ResiliencePipeline<HttpResponseMessage> retry;

    public ElasticsearchTransport(HttpClient http, ElasticsearchOptions options)
    {
        this.http = http;
        retry = options.MaxRetries <= 0
            ? ResiliencePipeline<HttpResponseMessage>.Empty
            : new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryDelay,
                    MaxDelay = TimeSpan.FromSeconds(30),
                    ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                    DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                })
                .Build();
    }

    public static bool IsRetriable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken ct) => outcome switch
    {
        { Result: { } response } => IsRetriable(response.StatusCode),
        { Exception: HttpRequestException } => true,
        { Exception: TaskCanceledException } => !ct.IsCancellationRequested, // HttpClient.Timeout, not the caller's token
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } when delta > TimeSpan.Zero && delta < TimeSpan.FromMinutes(1) => delta,
        _ => null, // the exponential backoff
    };

    /// <summary>Sends a request and reads its JSON answer, whatever its status (after retrying 429 and 5xx).</summary>
    public async Task<EsResponse> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct) =>
        await SendAsync(method, path, body is null ? null : body.ToJsonString(Json), JsonType, ct);

    /// <summary>A <c>_bulk</c> request: one JSON object per line, the last line ended too.</summary>
    public async Task<EsResponse> SendNdjsonAsync(string path, IEnumerable<JsonNode> lines, CancellationToken ct)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line.ToJsonString(Json)).Append('\n');
        }
        return await SendAsync(HttpMethod.Post, path, text.ToString(), NdjsonType, ct);
    }

    private async Task<EsResponse> SendAsync(HttpMethod method, string path, string? body, MediaTypeHeaderValue type, CancellationToken ct)
    {
        using var response = await retry.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = type;
            }
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
        }, ct);
        var text = method == HttpMethod.Head ? "" : await response.Content.ReadAsStringAsync(ct);
        JsonNode? json = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // A proxy's HTML error page, not Elasticsearch: keep the text for the error message.
                json = new JsonObject { ["error"] = new JsonObject { ["type"] = "non_json_response", ["reason"] = Truncate(text, 300) } };
            }
        }
        return new EsResponse(response.StatusCode, json);
    }

    /// <summary>Throws the cluster's error for <paramref name="response"/> unless it is a success.</summary>
    public static EsResponse EnsureSuccess(EsResponse response, string request) =>
        response.IsSuccess ? response : throw Error(response, request);

    public static ElasticsearchException Error(EsResponse response, string request)
    {
        var error = response.Body?["error"];
        return error switch
        {
            JsonObject e => new ElasticsearchException(response.Status, (string?)e["type"], Reason(e), request),
            JsonValue v => new ElasticsearchException(response.Status, null, v.ToString(), request), // {"error": "alias [x] missing"}
            _ => new ElasticsearchException(response.Status, null, null, request),
        };
    }

    /// <summary>The error's reason, with its first root cause when that says something else (e.g. a shard's parse error).</summary>
    private static string? Reason(JsonObject error)
    {
        var reason = (string?)error["reason"];
        return error["root_cause"] is JsonArray { Count: > 0 } causes && causes[0] is JsonObject cause &&
            (string?)cause["reason"] is { } causeReason && causeReason != reason
                ? $"{reason} ({(string?)cause["type"]}: {causeReason})"
                : reason;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
