using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PatrawinConnector.Api.Jobs;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;
using Hangfire;

namespace PatrawinConnector.Api.Health;

/// <summary>Patrawin has the seven tables and every column the connector reads (checked every few minutes, not on every probe).</summary>
internal sealed class PatrawinSchemaCheck(PatrawinHealthQueries queries, HealthResultCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        cache.GetOrRunAsync("patrawin-schema", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), async () =>
        {
            var problems = await queries.FindSchemaProblemsAsync(cancellationToken);
            return problems.Count == 0
                ? HealthCheckResult.Healthy("ARENDE_1, KUND_24, KUND_ARENDE_25, CREDIT_LEVEL_334, BEHORIG_50, FAKTURATEXTNR_15 and PENDING_TIME_335 have the columns the connector reads")
                : HealthCheckResult.Unhealthy($"Patrawin's schema is not what the connector reads: {string.Join("; ", problems)}");
        });
}

/// <summary>The connector's own SQLite state accepts a write lock (and so writes).</summary>
internal sealed class StateStoreCheck(IDbContextFactory<ConnectorStateDbContext> state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await state.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);   // BEGIN IMMEDIATE: takes the write lock
            await transaction.RollbackAsync(cancellationToken);
            return HealthCheckResult.Healthy("connector-state.db is writable");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"The state database in DATA_DIR cannot be written: {e.Message}");
        }
    }
}

/// <summary>This process's Hangfire server is registered and its heartbeat is recent, so the sync jobs run.</summary>
internal sealed class SchedulerCheck(JobStorage storage, TimeProvider clock) : IHealthCheck
{
    /// <summary>Hangfire beats every 30 s; two beats missed is a stalled server.</summary>
    public static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(90);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var server = storage.GetMonitoringApi().Servers()
                .Where(s => s.Name.StartsWith(Composition.Jobs.ServerName + ":", StringComparison.OrdinalIgnoreCase))
                .MaxBy(s => s.Heartbeat);
            if (server?.Heartbeat is not { } heartbeat)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The Hangfire server of this process is not running, so the sync jobs do not run"));
            }
            var silence = clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(heartbeat, DateTimeKind.Utc);
            return Task.FromResult(silence <= MaxSilence
                ? HealthCheckResult.Healthy($"Hangfire server {server.Name} beat {Math.Max(0, silence.TotalSeconds):F0} s ago; {server.WorkersCount} workers")
                : HealthCheckResult.Unhealthy($"The Hangfire server {server.Name} has not beaten for {silence.TotalSeconds:F0} s: the job store may be unreachable"));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Hangfire's job store does not answer: {e.Message}"));
        }
    }
}

/// <summary>WiseTime answers with this API key (team info, cached: not a call on every probe). Sandbox: always healthy.</summary>
internal sealed class WiseTimeCheck(IWiseTimeClient wiseTime, IOptions<WiseTimeOptions> options, HealthResultCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.IsSandbox)
        {
            return Task.FromResult(HealthCheckResult.Healthy("sandbox WiseTime: API_KEY is not set, nothing is sent"));
        }
        return cache.GetOrRunAsync("wisetime", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), async () =>
        {
            try
            {
                var team = await wiseTime.GetTeamInfoAsync(cancellationToken);
                return HealthCheckResult.Healthy($"WiseTime answers for team {team.TeamName}");
            }
            catch (WiseTimeApiException e)
            {
                return HealthCheckResult.Unhealthy(e.Category == WiseTimeErrorCategory.Auth
                    ? $"WiseTime refuses the API key: {e.Message}"
                    : $"WiseTime does not answer: {e.Message}");
            }
        });
    }
}

/// <summary>Time posted to PENDING_TIME_335 is imported by Patrawin within HEALTH_CHECK_INTERVAL minutes (server clock in TIMEZONE).</summary>
internal sealed class PendingTimeCheck(
    PatrawinHealthQueries queries, IOptions<HealthOptions> health, IOptions<PatrawinOptions> patrawin, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (patrawin.Value.IsSandbox)
        {
            return HealthCheckResult.Healthy("sandbox Patrawin: no Patrawin import runs, posted time stays in PENDING_TIME_335");
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(patrawin.Value.TimeZone);
        var serverNow = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        DateTime? oldest;
        try
        {
            oldest = await queries.OldestUnimportedAsync(serverNow.AddMinutes(-health.Value.PendingTimeMinutes), cancellationToken);
        }
        catch (Exception e)
        {
            // Whatever stops the read (an unreachable server, a file that cannot be opened, the probe's timeout) is the reason, never a throw.
            return HealthCheckResult.Unhealthy($"PENDING_TIME_335 cannot be read, so Patrawin's import cannot be checked: {HealthFailure.Reason(e, HealthTimeouts.Remote)}", e);
        }
        return oldest is null
            ? HealthCheckResult.Healthy($"Patrawin imports posted time within {health.Value.PendingTimeMinutes} minutes")
            : HealthCheckResult.Unhealthy(
                $"Time posted at {oldest:yyyy-MM-dd HH:mm:ss} ({patrawin.Value.TimeZone}) still waits in PENDING_TIME_335: Patrawin's import " +
                "(Patrawin.exe /function:PendingTimeMonitor) seems to have stopped. Restart it; restarting the connector does not help.");
    }
}

/// <summary>/health/live: healthy until the self-check gives up.</summary>
internal sealed class LivenessCheck(SelfCheckMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(monitor.GaveUp
            ? HealthCheckResult.Unhealthy($"The self-check failed {monitor.ConsecutiveFailures} times in a row: {monitor.LastFailure}")
            : HealthCheckResult.Healthy(monitor.ConsecutiveFailures == 0
                ? "the process works"
                : $"the process works; the last {monitor.ConsecutiveFailures} self-checks failed: {monitor.LastFailure}"));
}

/// <summary>With RECEIVE_POSTED_TIME=LONG_POLL: the fetch loop completed a cycle within the last 10 minutes.</summary>
internal sealed class LongPollCheck(LongPollState state, IOptions<PostedTimeOptions> options, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan MaxQuiet = TimeSpan.FromMinutes(10);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.ReceivePostedTime != ReceivePostedTimeMode.LongPoll)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"not used: posted time arrives by {(options.Value.ReceivePostedTime == ReceivePostedTimeMode.Webhook ? "webhook" : "nothing (DISABLED)")}"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var since = state.LastSuccessAt ?? state.StartedAt;
        return Task.FromResult(now - since <= MaxQuiet
            ? HealthCheckResult.Healthy(state.LastSuccessAt is null
                ? "starting: no fetch has completed yet"
                : $"last fetch {state.LastSuccessAt:yyyy-MM-dd HH:mm:ss} UTC; {state.GroupsReceived} time groups received" + (state.LastError is null ? "" : $"; last error: {state.LastError}"))
            : HealthCheckResult.Unhealthy($"No fetch from WiseTime has succeeded for {(now - since).TotalMinutes:F0} minutes: {state.LastError ?? "no error recorded"}"));
    }
}

/// <summary>
/// With Kimai and CiviCRM configured: Degraded, naming the failing peer, once external-hours-sync has failed
/// <see cref="FailuresBeforeAlert"/> runs in a row (external-hours.md e.4). Degraded, not Unhealthy: readiness stays 200,
/// so a CiviCRM outage never takes the WiseTime webhook out of service.
/// </summary>
internal sealed class ExternalHoursCheck(JobRunJournal runs, IOptions<ExternalHoursOptions> options) : IHealthCheck
{
    public const int FailuresBeforeAlert = 3;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("not used: Kimai and CiviCRM are not configured, or EXTERNAL_HOURS_SYNC is DISABLED"));
        }
        var last = runs.Last(ExternalHoursSyncJob.Id);
        if (last is { ConsecutiveFailures: >= FailuresBeforeAlert })
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"external-hours-sync failed {last.ConsecutiveFailures} runs in a row, the last at {last.FinishedAt:yyyy-MM-dd HH:mm:ss} UTC: {last.Message}"));
        }
        return Task.FromResult(HealthCheckResult.Healthy(last is { FinishedAt: { } finished }
            ? $"last run {Capitalised(last.Outcome)} at {finished:yyyy-MM-dd HH:mm:ss} UTC" + (last.Outcome == JobRunRecord.Failed ? $": {last.Message}" : "")
            : "no run has finished yet"));
    }

    private static string Capitalised(string outcome) => string.Concat(outcome[..1].ToUpperInvariant(), outcome[1..]);
}
