using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PatrawinConnector.Api.Health;

/// <summary>Keeps expensive check results for a while, so that a probe every few seconds does not call WiseTime or scan a schema each time.</summary>
public sealed class HealthResultCache(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (HealthCheckResult Result, DateTimeOffset Until)> _results = new();

    public async Task<HealthCheckResult> GetOrRunAsync(string key, TimeSpan keepHealthy, TimeSpan keepUnhealthy, Func<Task<HealthCheckResult>> run)
    {
        var now = clock.GetUtcNow();
        if (_results.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Result;
        }
        var result = await run();
        _results[key] = (result, now + (result.Status == HealthStatus.Healthy ? keepHealthy : keepUnhealthy));
        return result;
    }
}
