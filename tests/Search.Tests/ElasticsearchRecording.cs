using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TransferHub.Search.Tests;

/// <summary>
/// A fake Elasticsearch 8.x that replays a recording (<c>Recorded/{name}.json</c>): a list of exchanges, each the request
/// the engine must send (method, path with query string, and the significant part of its JSON body, or of each NDJSON
/// line of a bulk body) and the answer Elasticsearch gave (status, body, headers). Requests must come in the recorded
/// order; each one is checked when it arrives, and every request is kept for the test to look at further.
/// <para>
/// "Significant part": every property of an expected object must be in the actual object with a matching value (other
/// properties are allowed), arrays must have the same length and match element by element, and the string <c>"*"</c>
/// matches any value.
/// </para>
/// </summary>
public sealed class ElasticsearchRecording : HttpMessageHandler
{
    private readonly List<JsonObject> exchanges;
    private int next;

    private ElasticsearchRecording(string name, List<JsonObject> exchanges)
    {
        Name = name;
        this.exchanges = exchanges;
    }

    public string Name { get; }

    /// <summary>What the engine sent, in order: method, path and query, body text (null without a body).</summary>
    public List<(string Method, string Path, string? Body)> Requests { get; } = [];

    public static ElasticsearchRecording Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Recorded", name + ".json");
        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        return new ElasticsearchRecording(name, [.. root["exchanges"]!.AsArray().Select(e => e!.AsObject())]);
    }

    /// <summary>An HttpClient on this recording, as the engine gets one (the cluster's address as base address).</summary>
    public HttpClient Client() => new(this, disposeHandler: false) { BaseAddress = new Uri("http://elasticsearch:9200/") };

    /// <summary>Every recorded exchange took place.</summary>
    public void AssertComplete() =>
        Assert.True(next == exchanges.Count, $"{Name}: {exchanges.Count - next} recorded request(s) not sent, the first: {Describe(next)}");

    /// <summary>The JSON body of the <paramref name="index"/>th request.</summary>
    public JsonNode Body(int index) => JsonNode.Parse(Requests[index].Body ?? throw new InvalidOperationException($"request {index} has no body"))!;

    /// <summary>The NDJSON lines of the <paramref name="index"/>th request.</summary>
    public List<JsonNode> Lines(int index) =>
        [.. (Requests[index].Body ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.PathAndQuery;
        Requests.Add((request.Method.Method, path, body));
        Assert.True(next < exchanges.Count, $"{Name}: unexpected request {request.Method} {path} (all {exchanges.Count} recorded exchanges used)");
        var exchange = exchanges[next++];
        var expected = exchange["request"]!.AsObject();
        var where = $"{Name}, exchange {next}";
        Assert.Equal((string)expected["method"]!, request.Method.Method);
        Assert.Equal((string)expected["path"]!, path);
        if (expected["body"] is { } expectedBody)
        {
            Assert.NotNull(body);
            Assert.Equal("application/json", request.Content!.Headers.ContentType?.MediaType);
            AssertMatches(expectedBody, JsonNode.Parse(body), where + " body");
        }
        if (expected["ndjson"] is JsonArray expectedLines)
        {
            Assert.NotNull(body);
            Assert.Equal("application/x-ndjson", request.Content!.Headers.ContentType?.MediaType);
            Assert.EndsWith("\n", body, StringComparison.Ordinal);
            var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(expectedLines.Count == lines.Length, $"{where}: {lines.Length} NDJSON lines, {expectedLines.Count} recorded:\n{body}");
            for (var i = 0; i < lines.Length; i++)
            {
                AssertMatches(expectedLines[i], JsonNode.Parse(lines[i]), $"{where} line {i + 1}");
            }
        }

        var recorded = exchange["response"]!.AsObject();
        var response = new HttpResponseMessage((HttpStatusCode)(int)recorded["status"]!) { RequestMessage = request };
        if (recorded["body"] is { } responseBody && request.Method != HttpMethod.Head)
        {
            response.Content = new StringContent(responseBody.ToJsonString(), Encoding.UTF8, "application/json");
        }
        else
        {
            response.Content = new ByteArrayContent([]);
        }
        foreach (var (header, value) in recorded["headers"] as JsonObject ?? [])
        {
            response.Headers.TryAddWithoutValidation(header, (string?)value);
        }
        // Elasticsearch 8 marks every answer with its product header.
        response.Headers.TryAddWithoutValidation("X-elastic-product", "Elasticsearch");
        return response;
    }

    private string Describe(int index) => index < exchanges.Count
        ? $"{(string?)exchanges[index]["request"]?["method"]} {(string?)exchanges[index]["request"]?["path"]}"
        : "none";

    /// <summary>Asserts that <paramref name="actual"/> has everything <paramref name="expected"/> has (see the class summary).</summary>
    public static void AssertMatches(JsonNode? expected, JsonNode? actual, string where)
    {
        var failure = Mismatch(expected, actual, "$");
        Assert.True(failure is null, $"{where}: {failure}\nactual: {actual?.ToJsonString()}");
    }

    private static string? Mismatch(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonValue v when v.TryGetValue<string>(out var s) && s == "*":
                return actual is null ? $"{path} is missing" : null;
            case JsonObject e:
                if (actual is not JsonObject a)
                {
                    return $"{path} should be an object, is {actual?.ToJsonString() ?? "missing"}";
                }
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        return $"{path}.{key} is missing";
                    }
                    if (Mismatch(value, a[key], $"{path}.{key}") is { } failure)
                    {
                        return failure;
                    }
                }
                return null;
            case JsonArray e:
                if (actual is not JsonArray array || array.Count != e.Count)
                {
                    return $"{path} should be an array of {e.Count}, is {actual?.ToJsonString() ?? "missing"}";
                }
                for (var i = 0; i < e.Count; i++)
                {
                    if (Mismatch(e[i], array[i], $"{path}[{i}]") is { } failure)
                    {
                        return failure;
                    }
                }
                return null;
            case null:
                return actual is null ? null : $"{path} should be null, is {actual.ToJsonString()}";
            default:
                if (actual is not JsonValue)
                {
                    return $"{path} should be {expected.ToJsonString()}, is {actual?.ToJsonString() ?? "missing"}";
                }
                var same = expected.GetValueKind() == JsonValueKind.Number && actual.GetValueKind() == JsonValueKind.Number
                    ? expected.GetValue<decimal>() == actual.GetValue<decimal>()
                    : JsonNode.DeepEquals(expected, actual);
                return same ? null : $"{path} should be {expected.ToJsonString()}, is {actual.ToJsonString()}";
        }
    }
}
