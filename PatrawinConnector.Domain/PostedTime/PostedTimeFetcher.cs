using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.PostedTime;

/// <summary>How the long-poll receiver is doing, for the readiness check and the dashboard.</summary>
public sealed class LongPollState(TimeProvider clock)
{
    private readonly Lock _gate = new();

    public DateTime StartedAt { get; } = clock.GetUtcNow().UtcDateTime;
    public bool Registered { get; private set; }
    public DateTime? LastSuccessAt { get; private set; }
    public string? LastError { get; private set; }
    public long GroupsReceived { get; private set; }

    public void RegisteredAsFetchClient()
    {
        lock (_gate)
        {
            Registered = true;
        }
    }

    public void CycleSucceeded(int groups)
    {
        lock (_gate)
        {
            LastSuccessAt = clock.GetUtcNow().UtcDateTime;
            LastError = null;
            GroupsReceived += groups;
        }
    }

    public void CycleFailed(string error)
    {
        lock (_gate)
        {
            LastError = error;
        }
    }
}

/// <summary>
/// Long polling (RECEIVE_POSTED_TIME=LONG_POLL): fetches posted time from WiseTime, posts each group through the same
/// <see cref="PostingService"/> (rules and ledger) as the webhook, and reports each outcome back. At least once from
/// WiseTime, exactly once into Patrawin: a group fetched again answers "already posted" and gets SUCCESS again; an outcome
/// whose status update failed stays in the ledger and is reported before the next fetch.
/// </summary>
public sealed class PostedTimeFetcher(
    IWiseTimeClient wiseTime,
    IServiceScopeFactory scopes,
    PostingLedger ledger,
    LongPollState state,
    IOptions<PostedTimeOptions> options,
    ILogger<PostedTimeFetcher> logger)
{
    /// <summary>Registers as WiseTime's fetch client; "already registered" (409) is fine: fetching turns it on anyway.</summary>
    public async Task RegisterAsync(CancellationToken ct)
    {
        if (await wiseTime.RegisterForFetchAsync(ct))
        {
            logger.LogInformation("Registered with WiseTime as the team's posted time fetch client");
        }
        else
        {
            logger.LogInformation("WiseTime already has a fetch client or a webhook for this team; fetching anyway");
        }
        state.RegisteredAsFetchClient();
    }

    /// <summary>
    /// One cycle: reports outcomes still owed, fetches (a long poll), then posts and reports each group. When
    /// <paramref name="stopping"/> fires, the group being posted is finished and the rest is left: WiseTime offers
    /// groups without a status again. Returns the number of groups fetched.
    /// </summary>
    public async Task<int> RunCycleAsync(CancellationToken stopping)
    {
        await ReportOwedStatusesAsync(stopping);
        var groups = await wiseTime.FetchPostedTimeAsync(options.Value.LongPollBatchSize, stopping);
        foreach (var group in groups)
        {
            if (stopping.IsCancellationRequested)
            {
                logger.LogInformation("Stopping: {Count} fetched time groups are left for WiseTime to offer again", groups.Count - groups.ToList().IndexOf(group));
                break;
            }
            await ProcessAsync(group);
        }
        state.CycleSucceeded(groups.Count);
        return groups.Count;
    }

    private async Task ProcessAsync(TimeGroup group)
    {
        PostingOutcome outcome;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            outcome = await scope.ServiceProvider.GetRequiredService<PostingService>().PostAsync(group, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Time group {TimeGroupId}: unexpected error while posting", group.GroupId);
            outcome = new PostingOutcome.Failed("Unexpected error in the Patrawin connector; the time will be offered again.");
        }

        if (string.IsNullOrWhiteSpace(group.GroupId))
        {
            logger.LogWarning("A fetched time group has no groupId; its outcome cannot be reported: {Reason}", outcome.Message);
            return;
        }

        var groupId = group.GroupId.Trim();
        await ledger.MarkStatusToReportAsync(groupId, CancellationToken.None);
        var (status, message) = outcome switch
        {
            PostingOutcome.Posted or PostingOutcome.AlreadyPosted => (TimeGroupStatuses.Success, (string?)null),
            PostingOutcome.Rejected => (TimeGroupStatuses.Failure, outcome.Message),
            _ => (TimeGroupStatuses.RetriableFailure, outcome.Message),
        };
        var ids = outcome is PostingOutcome.Posted { PendingTimeIds.Count: > 0 } posted ? string.Join(',', posted.PendingTimeIds) : null;
        await ReportAsync(new TimeGroupStatus(groupId, status, message, ids));
    }

    private async Task ReportOwedStatusesAsync(CancellationToken ct)
    {
        foreach (var entry in await ledger.StatusesToReportAsync(50, ct))
        {
            var status = entry.Status switch
            {
                PostingStatus.Posted or PostingStatus.NothingToPost => new TimeGroupStatus(entry.GroupId, TimeGroupStatuses.Success, null, entry.PendingTimeIds),
                PostingStatus.Rejected => new TimeGroupStatus(entry.GroupId, TimeGroupStatuses.Failure, entry.Message),
                _ => new TimeGroupStatus(entry.GroupId, TimeGroupStatuses.RetriableFailure, entry.Message),
            };
            await ReportAsync(status);
        }
    }

    private async Task ReportAsync(TimeGroupStatus status)
    {
        try
        {
            await wiseTime.UpdatePostedTimeStatusAsync(status, CancellationToken.None);
            await ledger.MarkStatusReportedAsync(status.TimeGroupId, CancellationToken.None);
        }
        catch (WiseTimeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // WiseTime no longer knows the group for this fetch client: it will offer it again if it is still pending.
            logger.LogWarning("WiseTime does not know time group {TimeGroupId} any more: {Reason}", status.TimeGroupId, e.Message);
            await ledger.MarkStatusReportedAsync(status.TimeGroupId, CancellationToken.None);
        }
        catch (WiseTimeApiException e) when (e.Category is WiseTimeErrorCategory.Permanent or WiseTimeErrorCategory.Config)
        {
            // WiseTime will never take this status (400, 409): sending it before every fetch would only block the others.
            logger.LogError("WiseTime refuses the {Status} status of time group {TimeGroupId}; giving up on reporting it: {Reason}",
                status.Status, status.TimeGroupId, e.Message);
            await ledger.MarkStatusReportedAsync(status.TimeGroupId, CancellationToken.None);
        }
        catch (WiseTimeApiException e)
        {
            logger.LogWarning("Reporting {Status} for time group {TimeGroupId} failed; it is sent again before the next fetch: {Reason}",
                status.Status, status.TimeGroupId, e.Message);
        }
    }
}
