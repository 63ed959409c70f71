using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PatrawinConnector.Api.Jobs;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;
using Hangfire;

namespace PatrawinConnector.Api.Ops;

/// <summary>The JSON API the dashboard uses: jobs (state, last run, run now, pause, resume), cursors, the posting ledger, sandbox calls.</summary>
[ApiController]
[Route("ops/api")]
public sealed class OpsController(
    JobStatusReader jobStatus,
    IRecurringJobManagerV2 recurringJobs,
    JobSchedules schedules,
    DashboardQueries queries,
    IOptions<PatrawinOptions> patrawin,
    IOptions<WiseTimeOptions> wiseTime,
    IOptions<Domain.PostedTime.PostedTimeOptions> postedTime,
    Domain.PostedTime.LongPollState longPoll,
    IOptions<Domain.ExternalHours.ExternalHoursOptions> externalHours,
    TimeProvider clock) : ControllerBase
{
    /// <summary>Which parts run on a sandbox.</summary>
    [HttpGet("status")]
    public OpsStatus Status() => new(
        [.. Sandboxes()],
        patrawin.Value.IsSandbox ? "sandbox (SQLite in DATA_DIR)" : patrawin.Value.EffectiveProvider == PatrawinProvider.SqlServer ? "SQL Server" : "SQLite file",
        wiseTime.Value.IsSandbox ? "sandbox (nothing is sent)" : wiseTime.Value.BaseUrl,
        postedTime.Value.ReceivePostedTime switch
        {
            Domain.PostedTime.ReceivePostedTimeMode.Webhook => "webhook (POST /receiveTimePostedEvent)",
            Domain.PostedTime.ReceivePostedTimeMode.LongPoll =>
                $"long polling: {(longPoll.LastSuccessAt is { } last ? $"last fetch {last:yyyy-MM-dd HH:mm:ss} UTC" : "no fetch yet")}, " +
                $"{longPoll.GroupsReceived} groups received" + (longPoll.LastError is { } error ? $", last error: {error}" : ""),
            _ => "disabled (RECEIVE_POSTED_TIME=DISABLED)",
        },
        externalHours.Value.Configured);

    /// <summary>Every recurring job with its schedule and its last run.</summary>
    [HttpGet("jobs")]
    public IReadOnlyList<JobView> Jobs() => jobStatus.All();

    /// <summary>Runs the job now, once, through Hangfire; if a run is in progress already, this one is skipped (a job never runs twice at once).</summary>
    [HttpPost("jobs/{id}/trigger")]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public IActionResult Trigger(string id) => WithJob(id, job => recurringJobs.TriggerJob(job), Accepted());

    /// <summary>Stops the job's schedule until it is resumed ("run now" still works).</summary>
    [HttpPost("jobs/{id}/pause")]
    public IActionResult Pause(string id) => WithJob(id, job => schedules.SetPaused(job, paused: true), NoContent());

    [HttpPost("jobs/{id}/resume")]
    public IActionResult Resume(string id) => WithJob(id, job => schedules.SetPaused(job, paused: false), NoContent());

    /// <summary>The sync cursors, with progress and an estimate of the time left while a pass runs.</summary>
    [HttpGet("cursors")]
    public async Task<IReadOnlyList<CursorView>> CursorsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return (await queries.CursorsAsync(cancellationToken)).Select(c => CursorView.Of(c, now)).ToList();
    }

    /// <summary>Recent posted time groups (who, which cases, minutes, outcome, reason), newest first, optionally searched.</summary>
    [HttpGet("postings")]
    public async Task<IReadOnlyList<PostingLedgerEntry>> PostingsAsync([FromQuery] string? search, [FromQuery] int limit = 50, CancellationToken cancellationToken = default) =>
        await queries.PostingsAsync(search, Math.Clamp(limit, 1, 500), cancellationToken);

    /// <summary>In sandbox mode: what would have been sent to WiseTime, newest first.</summary>
    [HttpGet("sandbox-calls")]
    public async Task<IReadOnlyList<SandboxWiseTimeCall>> SandboxCallsAsync([FromQuery] int limit = 50, CancellationToken cancellationToken = default) =>
        await queries.SandboxCallsAsync(Math.Clamp(limit, 1, 500), cancellationToken);

    private IActionResult WithJob(string id, Action<string> action, IActionResult success)
    {
        if (JobCatalog.Find(id) is not { } job)
        {
            return NotFound($"There is no job '{id}'. Jobs: {string.Join(", ", JobCatalog.All.Select(j => j.Id))}");
        }
        action(job.Id);
        return success;
    }

    private IEnumerable<string> Sandboxes()
    {
        if (patrawin.Value.IsSandbox)
        {
            yield return "Patrawin";
        }
        if (wiseTime.Value.IsSandbox)
        {
            yield return "WiseTime";
        }
    }
}

public sealed record OpsStatus(IReadOnlyList<string> Sandboxes, string Patrawin, string WiseTime, string PostedTime, bool ExternalHours);

public sealed record JobView(string Id, string Description, DateTimeOffset? NextRunAt, bool Paused, bool Scheduled, double? IntervalMinutes, RunView? LastRun);

public sealed record RunView(long Id, DateTime StartedAt, DateTime? FinishedAt, string Outcome, double? DurationSeconds, string? Message, string? Error)
{
    public static RunView Of(JobRunRecord run) => new(
        long.TryParse(run.BackgroundJobId, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : 0,
        DateTime.SpecifyKind(run.StartedAt, DateTimeKind.Utc),
        run.FinishedAt is { } finished ? DateTime.SpecifyKind(finished, DateTimeKind.Utc) : null,
        run.Outcome,
        run.FinishedAt is { } end ? Math.Round((end - run.StartedAt).TotalSeconds, 2) : null,
        run.Message,
        run.Error);
}

public sealed record CursorView(string Name, DateTime? CreatedAt, string? Number, int PassDone, int? PassTotal, double? Percent, double? SecondsLeft, DateTime UpdatedAt)
{
    public static CursorView Of(SyncCursor cursor, DateTime now)
    {
        double? percent = cursor.PassTotal is > 0 ? Math.Min(100, Math.Round(100.0 * cursor.PassDone / cursor.PassTotal.Value, 1)) : null;
        double? secondsLeft = null;
        if (cursor is { PassTotal: > 0, PassDone: > 0, PassStartedAt: { } started } && cursor.PassDone < cursor.PassTotal)
        {
            var rate = cursor.PassDone / Math.Max(1, (now - started).TotalSeconds);
            secondsLeft = Math.Round((cursor.PassTotal.Value - cursor.PassDone) / rate);
        }
        return new CursorView(cursor.Name, cursor.CreatedAt, cursor.Number, cursor.PassDone, cursor.PassTotal, percent, secondsLeft,
            DateTime.SpecifyKind(cursor.UpdatedAt, DateTimeKind.Utc));
    }
}
