using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace TransferHub.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Everything every TransferHub service shares: structured logs with the correlation id, OpenTelemetry traces and
    /// metrics (OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), ProblemDetails for every error, health checks,
    /// JWT validation with role policies, an OpenAPI document, forwarded headers and resilient HttpClients.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, bool validateTokens = true)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.AddTelemetry();

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? ctx.HttpContext.TraceIdentifier;
            if (Correlation.Current is { } correlation)
            {
                ctx.ProblemDetails.Extensions["correlationId"] = correlation;
            }
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
        });
        builder.Services.AddHealthChecks();
        // X-Forwarded-* is trusted from loopback and from the networks in ForwardedHeaders:KnownNetworks (CIDR, e.g. the
        // container network in docker-compose), never from anyone else.
        var knownNetworks = builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var network in knownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks holds '{network}', which is not a CIDR network such as 172.16.0.0/12."));
            }
        });
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        if (validateTokens)
        {
            builder.AddTokenValidation();
        }
        return builder;
    }

    private static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql", "MassTransit", "TransferHub.*"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql", "MassTransit", "TransferHub.*"));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>The shared middleware, in order: forwarded headers, correlation id, errors as ProblemDetails, auth.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Services.GetService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>() is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        return app;
    }

    /// <summary>
    /// Health endpoints and the OpenAPI document at <c>{apiPrefix}/openapi/v1.json</c> (reachable through the gateway),
    /// with the Scalar UI at <c>{apiPrefix}/docs</c> in Development.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, string apiPrefix)
    {
        app.MapHealthEndpoints();
        var pattern = apiPrefix.TrimEnd('/') + "/openapi/{documentName}.json";
        app.MapOpenApi(pattern).AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(apiPrefix.TrimEnd('/') + "/docs", o => o.WithOpenApiRoutePattern(pattern)).AllowAnonymous();
        }
        return app;
    }
}
