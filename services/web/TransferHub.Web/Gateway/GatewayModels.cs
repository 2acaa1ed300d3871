namespace TransferHub.Web.Gateway;

public sealed record LoginRequest(string Email, string Password);

/// <summary>The identity service's answer to a successful login; <see cref="ExpiresIn"/> is in seconds.</summary>
public sealed record TokenResponse(string AccessToken, string? RefreshToken, int ExpiresIn);

public enum LoginStatus
{
    Success,
    WrongCredentials,
    LockedOut,
    TooManyAttempts,
    Unavailable,
    Failed,
}

public sealed record LoginOutcome(LoginStatus Status, TokenResponse? Tokens = null);

/// <summary>What a call through the gateway came to, without exceptions for the expected cases.</summary>
public enum GatewayStatus
{
    Ok,
    /// <summary>401: the token expired or was revoked; the user must sign in again.</summary>
    Unauthorized,
    /// <summary>403: signed in but not allowed.</summary>
    Forbidden,
    /// <summary>The gateway or the service did not answer, timed out or answered 5xx.</summary>
    Unavailable,
    /// <summary>400: the request was refused as malformed; <see cref="GatewayResult{T}.Problem"/> says why.</summary>
    Rejected,
    /// <summary>Any other answer (4xx, unreadable body).</summary>
    Failed,
}

public sealed record GatewayResult<T>(GatewayStatus Status, T? Value = default, string? Problem = null)
    where T : class;

public sealed record TechnologySummary(
    Guid Id,
    string Title,
    string? Summary,
    string? Language,
    Guid? OrganisationId,
    long Version,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ReceivedAt);

public sealed record TechnologyPage(IReadOnlyList<TechnologySummary> Items, long Total);

/// <summary>A hit of <c>GET /api/search/technologies</c>: highlights are HTML with the matched words in &lt;mark&gt;.</summary>
public sealed record SearchHitView(
    Guid Id,
    string Title,
    string Summary,
    string Language,
    IReadOnlyList<string> MatchedLanguages,
    IReadOnlyList<string> MatchedConcepts,
    IReadOnlyDictionary<string, string>? Highlights);

public sealed record FacetCountView(string Value, int Count);

/// <summary>A page of search results, the facet counts, "did you mean", and whether only some of the words were matched.</summary>
public sealed record SearchPage(
    long Total,
    int Page,
    int PageSize,
    IReadOnlyList<SearchHitView> Items,
    IReadOnlyDictionary<string, IReadOnlyList<FacetCountView>> Facets,
    string? DidYouMean,
    bool Relaxed);
