using System.Collections.Concurrent;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;
using TimeGroup = PatrawinConnector.Domain.WiseTime.Contracts.TimeGroup;

namespace PatrawinConnector.Tests.Support;

/// <summary>
/// A WiseTime stand-in for domain tests: records what the connector asked for, in order, and fails or delays as
/// <see cref="FailWith"/> and <see cref="BeforeCall"/> say.
/// </summary>
public sealed class RecordingWiseTimeClient : IWiseTimeClient
{
    private int _sessions;

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<string> DeletedTags { get; } = new();

    public ConcurrentQueue<IReadOnlyList<UpsertTagRequest>> UpsertedBatches { get; } = new();

    public ConcurrentQueue<SyncActivityTypesRequest> ActivityTypeBatches { get; } = new();

    public IEnumerable<string> UpsertedNames => UpsertedBatches.SelectMany(b => b).Select(t => t.Name);

    /// <summary>Every call throws this, when set.</summary>
    public WiseTimeApiException? FailWith { get; set; }

    /// <summary>Runs before each call with its operation name: may delay, or throw to fail that call.</summary>
    public Func<string, Task>? BeforeCall { get; set; }

    /// <summary>Runs before each tag batch, after <see cref="BeforeCall"/>, with its tags: may delay, or throw to fail it.</summary>
    public Func<IReadOnlyList<UpsertTagRequest>, Task>? BeforeTagBatch { get; set; }

    /// <summary>Item errors the next batch call (tags or activity types) returns, once.</summary>
    public IReadOnlyList<ErrorItem>? ItemErrors { get; set; }

    /// <summary>Item errors every batch call returns.</summary>
    public IReadOnlyList<ErrorItem>? AlwaysItemErrors { get; set; }

    private IReadOnlyList<ErrorItem> TakeItemErrors()
    {
        var errors = ItemErrors ?? AlwaysItemErrors ?? [];
        ItemErrors = null;
        return errors;
    }

    public async Task<TeamInfoResult> GetTeamInfoAsync(CancellationToken cancellationToken)
    {
        await EnterAsync("team/info");
        return new TeamInfoResult("Test team");
    }

    public async Task TagUpsertAsync(UpsertTagRequest tag, CancellationToken cancellationToken)
    {
        await EnterAsync("tag");
        UpsertedBatches.Enqueue([tag]);
    }

    public async Task<BatchUpsertTagResponse> BatchTagUpsertAsync(IReadOnlyList<UpsertTagRequest> tags, CancellationToken cancellationToken)
    {
        await EnterAsync("tag/batch");
        if (BeforeTagBatch is not null)
        {
            await BeforeTagBatch(tags);
        }
        UpsertedBatches.Enqueue(tags);
        return new BatchUpsertTagResponse(TakeItemErrors());
    }

    public async Task<TagDeleteOutcome> TagDeleteAsync(string tagName, CancellationToken cancellationToken)
    {
        await EnterAsync("tag/delete");
        DeletedTags.Enqueue(tagName);
        return TagDeleteOutcome.Deleted;
    }

    public async Task<SyncSession> ActivityTypeSyncStartAsync(CancellationToken cancellationToken)
    {
        await EnterAsync("activitytype/sync/start");
        return new SyncSession($"session-{Interlocked.Increment(ref _sessions)}");
    }

    public async Task<SyncActivityTypesResponse> ActivityTypeUpsertBatchAsync(SyncActivityTypesRequest request, CancellationToken cancellationToken)
    {
        await EnterAsync("activitytype/batch");
        ActivityTypeBatches.Enqueue(request);
        return new SyncActivityTypesResponse(TakeItemErrors());
    }

    public Task ActivityTypeSyncCompleteAsync(SyncSession session, CancellationToken cancellationToken) => EnterAsync("activitytype/sync/complete");

    public Task ActivityTypeSyncCancelAsync(SyncSession session, CancellationToken cancellationToken) => EnterAsync("activitytype/sync/cancel");

    public ConcurrentQueue<TimeGroupStatus> Statuses { get; } = new();

    /// <summary>What each fetch answers, in turn; an empty list when the queue is empty.</summary>
    public ConcurrentQueue<IReadOnlyList<TimeGroup>> Fetches { get; } = new();

    public bool RegisterAnswer { get; set; } = true;

    public async Task<bool> RegisterForFetchAsync(CancellationToken cancellationToken)
    {
        await EnterAsync("postedtime/registerfetchclient");
        return RegisterAnswer;
    }

    public async Task<IReadOnlyList<TimeGroup>> FetchPostedTimeAsync(int limit, CancellationToken cancellationToken)
    {
        await EnterAsync("postedtime");
        return Fetches.TryDequeue(out var groups) ? groups : [];
    }

    public async Task UpdatePostedTimeStatusAsync(TimeGroupStatus status, CancellationToken cancellationToken)
    {
        await EnterAsync("postedtime/status");
        Statuses.Enqueue(status);
    }

    private async Task EnterAsync(string operation)
    {
        Calls.Enqueue(operation);
        if (BeforeCall is not null)
        {
            await BeforeCall(operation);
        }
        if (FailWith is not null)
        {
            throw FailWith;
        }
    }
}
