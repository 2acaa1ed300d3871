namespace TransferHub.Search.Elasticsearch;

/// <summary>
/// Where the cluster is and how the engine talks to it (<c>Search:Elasticsearch</c> in configuration). The index of a
/// collection is <see cref="IndexPrefix"/> + the collection name (<c>technologies</c>, <c>needs</c> …): that name is an
/// alias over a physical index <c>{name}-v{generation}</c>, swapped atomically by
/// <see cref="ElasticsearchSearchEngine.RebuildAsync"/>.
/// </summary>
/// <param name="Url">The cluster, e.g. <c>http://elasticsearch:9200</c>.</param>
/// <param name="IndexPrefix">Put before every collection name (lower case; e.g. <c>transferhub-</c>, or empty).</param>
/// <param name="Username">Basic authentication (with <paramref name="Password"/>), when the cluster's security is on.</param>
/// <param name="Password">Basic authentication password.</param>
/// <param name="ApiKey">An encoded API key (<c>Authorization: ApiKey …</c>); used instead of basic authentication when set.</param>
public sealed record ElasticsearchOptions(Uri Url, string IndexPrefix = "", string? Username = null, string? Password = null, string? ApiKey = null)
{
    /// <summary>How often a shard makes new writes searchable; every write waits for it (<c>refresh=wait_for</c>).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Retries of a request answered 429 or 5xx (or not answered), with exponential backoff and jitter.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first retry's delay; each next one doubles (capped at 30 s, or the server's Retry-After).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Documents per <c>_bulk</c> request (bulk writes and rebuilds).</summary>
    public int BulkBatchSize { get; init; } = 500;

    /// <summary>The timeout of one HTTP request when the engine creates its own <see cref="HttpClient"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An <see cref="HttpClient"/> for these options: base address and credentials set (the caller disposes it).</summary>
    public HttpClient CreateHttpClient(HttpMessageHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = Url.AbsoluteUri.EndsWith('/') ? Url : new Uri(Url.AbsoluteUri + "/");
        http.Timeout = RequestTimeout;
        if (!string.IsNullOrEmpty(ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", ApiKey);
        }
        else if (!string.IsNullOrEmpty(Username))
        {
            var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", token);
        }
        return http;
    }

    /// <summary>The password is never printed (records print every member).</summary>
    public override string ToString() =>
        $"ElasticsearchOptions {{ Url = {Url}, IndexPrefix = {IndexPrefix}, Username = {Username}, Password = {(Password is null ? "" : "***")}, ApiKey = {(ApiKey is null ? "" : "***")} }}";
}
