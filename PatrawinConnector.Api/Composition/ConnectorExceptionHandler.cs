using Microsoft.AspNetCore.Diagnostics;
using PatrawinConnector.Api.Webhooks;

namespace PatrawinConnector.Api.Composition;

/// <summary>
/// Unhandled exceptions are bugs or outages. On the webhook they become a 500 text/plain, so that WiseTime retries;
/// elsewhere the default ProblemDetails answer follows.
/// </summary>
internal sealed class ConnectorExceptionHandler(ILogger<ConnectorExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path.Value);
        if (!CallerKeyProtectedAttribute.Applies(httpContext) && !httpContext.Request.Path.StartsWithSegments(WebhookRoutes.ReceiveTimePostedEvent, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        httpContext.Response.ContentType = "text/plain; charset=utf-8";
        await httpContext.Response.WriteAsync("Unexpected error in the Patrawin connector; WiseTime will send the time again.", cancellationToken);
        return true;
    }
}
