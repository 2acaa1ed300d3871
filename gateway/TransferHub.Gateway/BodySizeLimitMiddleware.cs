using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace TransferHub.Gateway;

/// <summary>Refuses a declared body above the limit before anything is proxied (Kestrel enforces the same limit on chunked bodies).</summary>
internal sealed class BodySizeLimitMiddleware(RequestDelegate next, IOptions<GatewayOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "The request body is too large.",
                    Detail = $"The limit is {limit} bytes; this request declared {length}.",
                },
            });
            return;
        }
        await next(context);
    }
}
