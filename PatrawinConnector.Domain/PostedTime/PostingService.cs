using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.PostedTime;

/// <summary>
/// Posts one WiseTime time group into Patrawin: exactly once per group id, all of its pw_PostTime calls or none,
/// and a reason the user can act on when it cannot (wisetime-patrawin.md section b; rules R1–R10).
/// Both the webhook and the long-poll receiver come through here.
/// </summary>
public sealed class PostingService(
    IPatrawinTimePoster poster,
    PostingQueries queries,
    PostingLedger ledger,
    GroupLocks locks,
    IWiseTimeClient wiseTime,
    IOptions<PostedTimeOptions> postedTimeOptions,
    IOptions<TagOptions> tagOptions,
    ILogger<PostingService> logger)
{
    private const string PatrawinUnavailable =
        "There was an error posting time to the Patrawin database. The connector will try again when WiseTime resends it.";

    public async Task<PostingOutcome> PostAsync(TimeGroup group, CancellationToken cancellationToken)
    {
        var planned = PostingPlanner.TryPlan(
            group, tagOptions.Value.TagUpsertPath, postedTimeOptions.Value.AddSummaryToNarrative, out var plan, out var refusal);
        var groupId = group.GroupId?.Trim();
        if (string.IsNullOrWhiteSpace(groupId))
        {
            return Log(groupId, null, new PostingOutcome.Rejected(refusal!.Reason));
        }

        using var _ = await locks.AcquireAsync(groupId, cancellationToken);

        // From here on the work is finished even if WiseTime hangs up: its retry then finds the outcome in the ledger.
        var ct = CancellationToken.None;
        var previous = await ledger.FindAsync(groupId, ct);
        if (previous?.Status is PostingStatus.Posted)
        {
            return Log(groupId, plan, new PostingOutcome.AlreadyPosted(
                $"This time was already posted to Patrawin ({previous.Tags}); nothing was posted again."));
        }

        if (!planned)
        {
            var status = refusal!.NothingToPost ? PostingStatus.NothingToPost : PostingStatus.Rejected;
            await ledger.RecordWithoutAttemptAsync(groupId, status, refusal.Reason, group.User?.Email ?? group.User?.ExternalId, ct);
            return Log(groupId, null, refusal.NothingToPost
                ? new PostingOutcome.Posted(refusal.Reason, [])
                : new PostingOutcome.Rejected(refusal.Reason));
        }

        if (previous?.Status is PostingStatus.InProgress or PostingStatus.Failed &&
            await FindEarlierRowsAsync(plan!, ct) is { Count: > 0 } earlierRows)
        {
            // An earlier attempt committed in Patrawin but the connector never recorded it (a crash, a lost answer).
            await ledger.CompleteAttemptAsync(groupId, PostingStatus.Posted, "Recognised rows committed by an earlier attempt.", earlierRows, ct);
            return Log(groupId, plan, new PostingOutcome.AlreadyPosted(
                $"This time was already posted to Patrawin ({string.Join(", ", plan!.Tags)}); nothing was posted again."));
        }

        return await AttemptAsync(plan!, ct);
    }

    /// <summary>Rows an interrupted earlier attempt of this group committed: the plan's rows that no other group owns.</summary>
    private async Task<IReadOnlyList<int>> FindEarlierRowsAsync(PostingPlan plan, CancellationToken ct)
    {
        var candidates = await queries.FindPostedRowsAsync(plan, ct);
        return candidates.Count == 0 ? candidates : await ledger.UnclaimedAsync(candidates, plan.GroupId, ct);
    }

    private async Task<PostingOutcome> AttemptAsync(PostingPlan plan, CancellationToken ct)
    {
        if (plan.Author.Length > PostingPlanner.MaxAuthorLength)
        {
            logger.LogWarning(
                "Time group {TimeGroupId}: the author is longer than {MaxLength} characters; pw_PostTime only sees the first {MaxLength}",
                plan.GroupId, PostingPlanner.MaxAuthorLength, PostingPlanner.MaxAuthorLength);
        }

        await ledger.BeginAttemptAsync(plan, ct);
        PostTimeResult result;
        try
        {
            result = await poster.PostAsync(ToEntries(plan), ct);
        }
        catch (Exception e) when (IsPatrawinFault(e))
        {
            logger.LogError(e, "Time group {TimeGroupId}: Patrawin could not be reached or did not answer", plan.GroupId);
            await ledger.CompleteAttemptAsync(plan.GroupId, PostingStatus.Failed, $"{PatrawinUnavailable} ({e.GetType().Name})", null, ct);
            return Log(plan.GroupId, plan, new PostingOutcome.Failed(PatrawinUnavailable));
        }

        var outcome = result switch
        {
            PostTimeResult.Inserted inserted => new PostingOutcome.Posted(
                $"Posted {plan.Minutes} minutes to Patrawin: {string.Join(", ", plan.Tags)}.", inserted.PendingTimeIds),
            PostTimeResult.Refused refused => await ExplainAsync(plan, refused, ct),
            _ => throw new InvalidOperationException($"Unknown post result {result}"),
        };

        var status = outcome switch
        {
            PostingOutcome.Posted => PostingStatus.Posted,
            PostingOutcome.Failed => PostingStatus.Failed,
            _ => PostingStatus.Rejected,
        };
        await ledger.CompleteAttemptAsync(plan.GroupId, status, outcome.Message, (outcome as PostingOutcome.Posted)?.PendingTimeIds, ct);
        return Log(plan.GroupId, plan, outcome);
    }

    /// <summary>Turns a pw_PostTime refusal into a sentence the user can act on, and removes tags whose case or client is gone.</summary>
    private async Task<PostingOutcome> ExplainAsync(PostingPlan plan, PostTimeResult.Refused refused, CancellationToken ct)
    {
        var tag = plan.Tags[refused.Index];
        switch (refused.Reason)
        {
            case PostTimeRefusal.CaseOrClientNotFound:
                var unknown = await queries.FindUnknownTagsAsync(plan.Tags, ct);
                return unknown.Count > 0
                    ? await RemoveUnknownTagsAsync(plan, unknown, ct)
                    : new PostingOutcome.Rejected(
                        $"Time cannot be posted to {tag}: in Patrawin it has no billing client with a credit level. " +
                        "Please contact your Patrawin administrator.");

            case PostTimeRefusal.ClientBlocked:
                return new PostingOutcome.Rejected(
                    $"The client of {tag} is blocked in Patrawin, so no time can be posted to it. Please contact your system administrator.");

            case PostTimeRefusal.UserNotFoundOrInactive:
                var (exists, active) = await queries.DescribeUserAsync(plan.Author, ct);
                return new PostingOutcome.Rejected((exists, active) switch
                {
                    (true, false) => $"User {plan.Author} is not an active Patrawin user. Please contact your system administrator.",
                    (true, true) => $"Patrawin did not accept user {plan.Author}" +
                                    (plan.Author.Length > PostingPlanner.MaxAuthorLength ? $": it only reads the first {PostingPlanner.MaxAuthorLength} characters." : ".") +
                                    " Please ask your WiseTime administrator to set your external id to your Patrawin username.",
                    _ => $"User {plan.Author} does not exist in Patrawin: no Patrawin user has that username or e-mail address. " +
                         "Please ask your WiseTime administrator to set your external id to your Patrawin username.",
                });

            case PostTimeRefusal.ActivityCodeNotFoundOrInactive:
                return new PostingOutcome.Rejected(await queries.ActivityCodeExistsAsync(plan.ActivityCode, ct)
                    ? $"Activity code {plan.ActivityCode} is not active in Patrawin. Please choose another activity code."
                    : $"Time group has an invalid activity code: {plan.ActivityCode} does not exist in Patrawin. Please choose another activity code.");

            default:
                throw new UnexpectedPostTimeResultException((int)refused.Reason);
        }
    }

    /// <summary>Tags whose case or client no longer exists are deleted in WiseTime; the group fails permanently.</summary>
    private async Task<PostingOutcome> RemoveUnknownTagsAsync(PostingPlan plan, IReadOnlyList<string> unknown, CancellationToken ct)
    {
        var names = string.Join(", ", unknown);
        try
        {
            foreach (var tag in unknown)
            {
                await wiseTime.TagDeleteAsync(tag, ct);
            }
        }
        catch (WiseTimeApiException e)
        {
            // Any failure but a 404 (handled by the client as deleted) is retried, as the Java connector did: the
            // stale tag must go, or users keep picking it.
            logger.LogWarning("Time group {TimeGroupId}: deleting unknown tags {Tags} in WiseTime failed ({Category}): {Reason}",
                plan.GroupId, names, e.Category, e.Message);
            return new PostingOutcome.Failed(
                $"Patrawin case or client was not found for tags: {names}. Removing them from WiseTime failed for now; the connector will try again.");
        }

        return new PostingOutcome.Rejected(
            $"Patrawin case or client was not found for tags: {names}. The tags have been removed from WiseTime; please choose another tag.");
    }

    private static List<TimeEntry> ToEntries(PostingPlan plan) =>
        plan.Tags.Select(tag => new TimeEntry(
            tag, plan.Author, plan.ActivityCode, plan.Narrative, plan.StartTime, plan.WorkedSeconds, plan.ChargeableSeconds)).ToList();

    private static bool IsPatrawinFault(Exception e) =>
        e is DbException or TimeoutException or UnexpectedPostTimeResultException or IOException or PatrawinUnavailableException;

    private PostingOutcome Log(string? groupId, PostingPlan? plan, PostingOutcome outcome)
    {
        var level = outcome switch
        {
            PostingOutcome.Posted or PostingOutcome.AlreadyPosted => LogLevel.Information,
            _ => LogLevel.Warning,
        };
        logger.Log(level, "Time group {TimeGroupId} for {Tags}, {Minutes} min: {Outcome}: {Reason}",
            groupId, plan is null ? null : string.Join(", ", plan.Tags), plan?.Minutes, outcome.GetType().Name, outcome.Message);
        return outcome;
    }
}
