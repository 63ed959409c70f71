using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.WiseTime;

/// <summary>
/// WiseTime when no API_KEY is set: nothing leaves the machine. Each call is recorded in the state database (operation
/// and the JSON body that would have been sent) for the dashboard; the newest <see cref="KeptCalls"/> are kept.
/// </summary>
public sealed class SandboxWiseTimeClient(
    IDbContextFactory<ConnectorStateDbContext> state,
    StateWriteGate writeGate,
    TimeProvider clock,
    ILogger<SandboxWiseTimeClient> logger) : IWiseTimeClient
{
    public const int KeptCalls = 5000;
    public const string TeamName = "Sandbox (no API_KEY set)";

    public Task<TeamInfoResult> GetTeamInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new TeamInfoResult(TeamName));

    public Task TagUpsertAsync(UpsertTagRequest tag, CancellationToken cancellationToken) =>
        RecordAsync("tag", tag, cancellationToken);

    public async Task<BatchUpsertTagResponse> BatchTagUpsertAsync(IReadOnlyList<UpsertTagRequest> tags, CancellationToken cancellationToken)
    {
        await RecordAsync("tag/batch", new BatchUpsertTagRequest(tags), cancellationToken);
        return new BatchUpsertTagResponse([]);
    }

    public async Task<TagDeleteOutcome> TagDeleteAsync(string tagName, CancellationToken cancellationToken)
    {
        await RecordAsync("tag/delete", new DeleteTagRequest(tagName), cancellationToken);
        return TagDeleteOutcome.Deleted;
    }

    public async Task<SyncSession> ActivityTypeSyncStartAsync(CancellationToken cancellationToken)
    {
        var session = new SyncSession($"sandbox-{Guid.NewGuid():N}");
        await RecordAsync("activitytype/sync/start", session, cancellationToken);
        return session;
    }

    public async Task<SyncActivityTypesResponse> ActivityTypeUpsertBatchAsync(SyncActivityTypesRequest request, CancellationToken cancellationToken)
    {
        await RecordAsync("activitytype/batch", request, cancellationToken);
        return new SyncActivityTypesResponse([]);
    }

    public Task ActivityTypeSyncCompleteAsync(SyncSession session, CancellationToken cancellationToken) =>
        RecordAsync("activitytype/sync/complete", session, cancellationToken);

    public Task ActivityTypeSyncCancelAsync(SyncSession session, CancellationToken cancellationToken) =>
        RecordAsync("activitytype/sync/cancel", session, cancellationToken);

    public async Task<bool> RegisterForFetchAsync(CancellationToken cancellationToken)
    {
        await RecordAsync("postedtime/registerfetchclient", new RegisterFetchClientRequest(), cancellationToken);
        return true;
    }

    /// <summary>Nothing is ever posted to the sandbox: the call waits as WiseTime's long poll does, then answers empty (not recorded).</summary>
    public async Task<IReadOnlyList<TimeGroup>> FetchPostedTimeAsync(int limit, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(30), clock, cancellationToken);
        return [];
    }

    public Task UpdatePostedTimeStatusAsync(TimeGroupStatus status, CancellationToken cancellationToken) =>
        RecordAsync("postedtime/status", status, cancellationToken);

    private async Task RecordAsync(string operation, object body, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            var call = new SandboxWiseTimeCall
            {
                Operation = operation,
                Body = JsonSerializer.Serialize(body, body.GetType(), WiseTimeJson.Options),
                RecordedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.SandboxWiseTimeCalls.Add(call);
            await db.SaveChangesAsync(ct);
            if (call.Id % 100 == 0)
            {
                var oldestKept = call.Id - KeptCalls;
                await db.SandboxWiseTimeCalls.Where(c => c.Id <= oldestKept).ExecuteDeleteAsync(ct);
            }
        }
        logger.LogDebug("Sandbox WiseTime: recorded {Operation} instead of sending it", operation);
    }
}
