using System.Globalization;
using Microsoft.Extensions.Http.Resilience;
using TransferHub.ServiceDefaults;

namespace TransferHub.Web.Gateway;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public string BaseUrl { get; set; } = "http://127.0.0.1:8080";
}

public static class GatewayRegistration
{
    /// <summary>
    /// The typed <see cref="GatewayClient"/>. The default resilience pipeline is replaced by one that never retries a
    /// POST (a retried login would count as a second failed attempt) and gives up quickly, so a page answers promptly
    /// when the gateway is down.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayClient(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        if (!Uri.TryCreate(options.BaseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress))
        {
            throw new InvalidOperationException($"Gateway:BaseUrl '{options.BaseUrl}' is not an absolute URL, e.g. http://127.0.0.1:8080.");
        }
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<GatewayHeadersHandler>();
        // RemoveAllResilienceHandlers is marked experimental, but it is the documented way to replace the pipeline that
        // ConfigureHttpClientDefaults added for every client.
#pragma warning disable EXTEXP0001
        builder.Services
            .AddHttpClient<GatewayClient>(http => http.BaseAddress = baseAddress)
            .AddHttpMessageHandler<GatewayHeadersHandler>()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(ConfigureResilience);
#pragma warning restore EXTEXP0001
        return builder;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions o)
    {
        o.Retry.DisableForUnsafeHttpMethods();
        o.Retry.MaxRetryAttempts = 2;
        o.Retry.Delay = TimeSpan.FromMilliseconds(200);
        o.Retry.ShouldRetryAfterHeader = false;
        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(15);
    }
}

/// <summary>
/// Passes the correlation id, the user's language and the browser's address on to the gateway. The address (which the
/// portal itself learnt from the gateway's X-Forwarded-For) keeps the gateway's per-IP login limit per browser rather
/// than one bucket for every portal user; the gateway trusts X-Forwarded-For only from known proxies (loopback).
/// </summary>
public sealed class GatewayHeadersHandler(IHttpContextAccessor httpContext) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (httpContext.HttpContext?.Connection.RemoteIpAddress is { } browser)
        {
            request.Headers.Remove("X-Forwarded-For");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", browser.ToString());
        }
        if (Correlation.Current is { } correlation)
        {
            request.Headers.Remove(Correlation.Header);
            request.Headers.TryAddWithoutValidation(Correlation.Header, correlation);
        }
        if (request.Headers.AcceptLanguage.Count == 0 && CultureInfo.CurrentUICulture.Name.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", CultureInfo.CurrentUICulture.Name);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
