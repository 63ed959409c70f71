using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.WiseTime;

public enum TagDeleteOutcome
{
    Deleted,
    /// <summary>WiseTime answered 404: the tag is already gone, which counts as deleted (rule R7).</summary>
    AlreadyGone,
}

/// <summary>
/// The WiseTime Connect API, as the connector uses it: one method per Connect operation, named after its operationId.
/// Failures are a <see cref="WiseTimeApiException"/> whose category says what to do; callers never see status codes.
/// </summary>
public interface IWiseTimeClient
{
    /// <summary>GET /team/info (get-team-info).</summary>
    Task<TeamInfoResult> GetTeamInfoAsync(CancellationToken cancellationToken);

    /// <summary>POST /tag (tag-upsert): one tag.</summary>
    Task TagUpsertAsync(UpsertTagRequest tag, CancellationToken cancellationToken);

    /// <summary>POST /tag/batch (batch-tag-upsert), at most 2,000 tags. Per-item errors come back in the result.</summary>
    Task<BatchUpsertTagResponse> BatchTagUpsertAsync(IReadOnlyList<UpsertTagRequest> tags, CancellationToken cancellationToken);

    /// <summary>POST /tag/delete (tag-delete) by name; 404 counts as deleted.</summary>
    Task<TagDeleteOutcome> TagDeleteAsync(string tagName, CancellationToken cancellationToken);

    /// <summary>POST /activitytype/sync/start (activity-type-sync-start).</summary>
    Task<SyncSession> ActivityTypeSyncStartAsync(CancellationToken cancellationToken);

    /// <summary>POST /activitytype/batch (activity-type-upsert-batch), at most 2,000 types.</summary>
    Task<SyncActivityTypesResponse> ActivityTypeUpsertBatchAsync(SyncActivityTypesRequest request, CancellationToken cancellationToken);

    /// <summary>POST /activitytype/sync/complete (activity-type-sync-complete): WiseTime deletes every type not sent in the session.</summary>
    Task ActivityTypeSyncCompleteAsync(SyncSession session, CancellationToken cancellationToken);

    /// <summary>POST /activitytype/sync/cancel (activity-type-sync-cancel).</summary>
    Task ActivityTypeSyncCancelAsync(SyncSession session, CancellationToken cancellationToken);

    /// <summary>POST /postedtime/registerfetchclient (register-for-fetch). False when WiseTime answers 409: a fetch client or a webhook is already registered.</summary>
    Task<bool> RegisterForFetchAsync(CancellationToken cancellationToken);

    /// <summary>GET /postedtime?limit=N (fetch-posted-time): a long poll that WiseTime holds up to 60 s; an empty list when nothing was posted.</summary>
    Task<IReadOnlyList<TimeGroup>> FetchPostedTimeAsync(int limit, CancellationToken cancellationToken);

    /// <summary>POST /postedtime/status (update-posted-time-status): the outcome of a fetched group.</summary>
    Task UpdatePostedTimeStatusAsync(TimeGroupStatus status, CancellationToken cancellationToken);
}
