using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using TransferHub.ServiceDefaults;

namespace TransferHub.Gateway;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Largest request body accepted, in bytes (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 25 * 1024 * 1024;

    public string[] CorsOrigins { get; set; } = [];
}

public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Requests per window for each signed-in user, or each client IP when anonymous.</summary>
    public int PermitLimit { get; set; } = 300;
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Login and registration attempts per window for each client IP.</summary>
    public int LoginPermitLimit { get; set; } = 20;
    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);
}

public static class GatewayExtensions
{
    public const string PerUserPolicy = "per-user";
    public const string LoginPolicy = "login";
    private const string CorsPolicy = "configured-origins";

    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var limits = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = gateway.MaxRequestBodyBytes);

        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

        // A route without an explicit policy still needs a signed-in user; public routes say "anonymous".
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PerUserPolicy, http => RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitLimit, Window = limits.Window, QueueLimit = 0 }));
            o.AddPolicy(LoginPolicy, http => RateLimitPartition.GetFixedWindowLimiter("ip:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.LoginPermitLimit, Window = limits.LoginWindow, QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"Slow down: retry after {seconds} seconds.",
                    },
                });
            };
        });

        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, p =>
        {
            if (gateway.CorsOrigins.Length > 0)
            {
                p.WithOrigins(gateway.CorsOrigins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(Correlation.Header, "ETag", "Retry-After");
            }
        }));

        builder.AddDownstreamHealthChecks();
        return builder;
    }

    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseServiceDefaults();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.UseCors(CorsPolicy);
        app.UseRateLimiter();
        app.MapHealthEndpoints();
        app.MapReverseProxy();
        return app;
    }

    private static string PartitionKey(HttpContext http) =>
        http.User.FindFirstValue(TransferHubClaims.Subject) is { } subject ? "user:" + subject : "ip:" + http.Connection.RemoteIpAddress;
}
