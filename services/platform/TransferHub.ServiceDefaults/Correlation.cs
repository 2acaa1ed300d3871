using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TransferHub.ServiceDefaults;

/// <summary>The correlation id of the current request or message, carried through logs, outbox rows and events.</summary>
public static class Correlation
{
    public const string Header = "X-Correlation-Id";
    private static readonly AsyncLocal<string?> current = new();

    public static string? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    /// <summary>Accepts a caller's id only when it is short and plain; otherwise a new one is made.</summary>
    public static string Accept(string? candidate) =>
        IsValid(candidate) ? candidate! : Guid.NewGuid().ToString("N");

    public static bool IsValid(string? candidate) =>
        !string.IsNullOrEmpty(candidate) && candidate.Length <= 64 &&
        candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

internal sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var id = Correlation.Accept(context.Request.Headers[Correlation.Header].ToString());
        context.Request.Headers[Correlation.Header] = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Correlation.Header] = id;
            return Task.CompletedTask;
        });
        Correlation.Current = id;
        Activity.Current?.SetTag("correlation.id", id);
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }
}
