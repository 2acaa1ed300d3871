using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TransferHub.ServiceDefaults;

public sealed record PageOf<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);

/// <summary>The HTTP conventions every service shares: version ETags, If-Match, and the problem answers.</summary>
public static class HttpConventions
{
    public static string ETag(int version) => $"\"{version}\"";

    public static void SetETag(HttpContext http, int version) => http.Response.Headers.ETag = ETag(version);

    /// <summary>Null when <paramref name="ifMatch"/> is absent, <c>*</c> or the current version; else the 412.</summary>
    public static ProblemHttpResult? Stale(string? ifMatch, int version, string noun) =>
        ifMatch is null || ifMatch == "*" || ifMatch == ETag(version)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: $"The {noun} has changed.",
                detail: $"If-Match {ifMatch} is stale; the current ETag is {ETag(version)}. Reload and retry.",
                extensions: new Dictionary<string, object?> { ["field"] = "If-Match" });

    public static ProblemHttpResult PreconditionRequired() =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required.",
            detail: "Send the ETag of the version you edited in If-Match, so a concurrent change is not overwritten.",
            extensions: new Dictionary<string, object?> { ["field"] = "If-Match" });

    public static ProblemHttpResult NotFound(string noun, object id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {noun}.",
            detail: $"The {noun} {id} does not exist or is not visible to you.");

    public static ProblemHttpResult Forbidden(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail);

    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, extensions: extensions);
}

public static class Paging
{
    public const int MaxPageSize = 100;

    public static Validation Validate(int page, int pageSize) => new Validation()
        .Check(page is >= 1 and <= 10_000, "page", "Pages start at 1 (at most 10000).")
        .Check(pageSize is >= 1 and <= MaxPageSize, "pageSize", $"Between 1 and {MaxPageSize}.");
}
