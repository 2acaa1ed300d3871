using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace TransferHub.ServiceDefaults;

/// <summary>
/// Turns exceptions into RFC 7807 answers: a body that cannot be read is the client's fault (400, with what was wrong),
/// anything else is a 500 that reveals nothing but the trace id.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "The request body is not valid JSON.", Describe(json)),
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read.", bad.Message),
            JsonException json => (400, "The request body is not valid JSON.", Describe(json)),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
                (499, "The client closed the request.", (string?)null),
            _ => (500, "An unexpected error occurred.", "The error was logged; quote the trace id when reporting it."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        else
        {
            logger.LogInformation("Rejected request on {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, exception.Message);
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static string Describe(JsonException json) =>
        json.Path is { Length: > 0 } path
            ? $"Invalid JSON at {path} (line {json.LineNumber + 1}, position {json.BytePositionInLine}); fix the body and retry."
            : "Invalid JSON; fix the body and retry.";
}
