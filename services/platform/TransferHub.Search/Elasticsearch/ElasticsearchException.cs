using System.Net;

namespace TransferHub.Search.Elasticsearch;

/// <summary>
/// Elasticsearch refused a request (after retries, for 429 and 5xx): the HTTP status, the error's <c>type</c> and
/// <c>reason</c> from its body (<c>{"error": {"type", "reason", …}, "status"}</c>), and what was asked.
/// </summary>
public sealed class ElasticsearchException(HttpStatusCode status, string? errorType, string? reason, string request)
    : Exception($"Elasticsearch answered {(int)status} to {request}: {errorType ?? "error"}{(reason is null ? "" : ": " + reason)}")
{
    public HttpStatusCode Status { get; } = status;

    public string? ErrorType { get; } = errorType;

    public string? Reason { get; } = reason;

    public string Request { get; } = request;
}
