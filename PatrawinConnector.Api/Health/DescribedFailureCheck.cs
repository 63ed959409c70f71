using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PatrawinConnector.Api.Health;

/// <summary>
/// A failure a reader understands: a probe that ran out of time says so and how long it waited (not "A task was
/// canceled."); anything else gives its message.
/// </summary>
internal static class HealthFailure
{
    public static string Reason(Exception e, TimeSpan waited) => e is OperationCanceledException
        ? $"no answer within {waited.TotalSeconds:F0} s"
        : e.Message;
}

/// <summary>
/// Gives a packaged check (AspNetCore.HealthChecks.SqlServer) a description on failure: the package reports only the
/// exception, which is "A task was canceled." when the probe times out.
/// </summary>
internal sealed class DescribedFailureCheck(IHealthCheck inner, string subject, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await inner.CheckHealthAsync(context, cancellationToken);
        return result.Status == HealthStatus.Healthy || result.Exception is null
            ? result
            : new HealthCheckResult(result.Status, $"{subject}: {HealthFailure.Reason(result.Exception, timeout)}", result.Exception, result.Data);
    }
}
