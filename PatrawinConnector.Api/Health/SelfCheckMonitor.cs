using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Api.Health;

/// <summary>
/// The connector's self-healing (the seed's promise): every HEALTH_SELF_CHECK_INTERVAL_SECONDS it runs the checks a restart
/// could fix (state store writable, scheduler running). After HEALTH_SELF_CHECK_FAILURES failures in a row it logs why
/// and stops the process with exit code 3, so that Docker's restart policy or Kubernetes starts it anew. Patrawin or
/// WiseTime being down, or Patrawin's import being stuck, never restarts it: a restart would fix none of them, and a
/// stopped SQL Server would only make it restart again and again (readiness reports it instead).
/// </summary>
public sealed class SelfCheckMonitor(
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IOptions<HealthOptions> options,
    ILogger<SelfCheckMonitor> logger) : BackgroundService
{
    public const int ExitCode = 3;

    private volatile int _consecutiveFailures;

    public int ConsecutiveFailures => _consecutiveFailures;

    public string? LastFailure { get; private set; }

    public bool GaveUp => options.Value.SelfCheckFailures > 0 && _consecutiveFailures >= options.Value.SelfCheckFailures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SelfCheckIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await CheckOnceAsync(stoppingToken);
            if (GaveUp)
            {
                logger.LogCritical("Self-check failed {Failures} times in a row ({Reason}); stopping with exit code {ExitCode} so the container is restarted",
                    _consecutiveFailures, LastFailure, ExitCode);
                Environment.ExitCode = ExitCode;
                lifetime.StopApplication();
                return;
            }
        }
    }

    /// <summary>Runs the self-check checks once and counts the result.</summary>
    public async Task<HealthReport> CheckOnceAsync(CancellationToken ct)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(HealthTags.Self), ct);
        if (report.Status == HealthStatus.Unhealthy)
        {
            LastFailure = string.Join("; ", report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy)
                .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message}"));
            _consecutiveFailures++;
            logger.LogWarning("Self-check failed ({Failures} in a row): {Reason}", _consecutiveFailures, LastFailure);
        }
        else
        {
            _consecutiveFailures = 0;
            LastFailure = null;
        }
        return report;
    }
}
