using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TransferHub.EndToEnd.Tests;

/// <summary>An answer: status, JSON body (default when empty) and ETag.</summary>
public sealed record Answer(HttpStatusCode Status, JsonElement Body, string? ETag);

public static class Api
{
    /// <summary>Sends a request with an optional JSON body and If-Match; never throws on an error status.</summary>
    public static async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Answer(response.StatusCode, json, response.Headers.ETag?.Tag);
    }
}
