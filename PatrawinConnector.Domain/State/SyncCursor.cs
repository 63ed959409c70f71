namespace PatrawinConnector.Domain.State;

/// <summary>
/// Where a sync stands in Patrawin's (created, number) order: the last row WiseTime accepted. A missing cursor (or a
/// cleared one, <see cref="Number"/> null) starts from the beginning.
/// </summary>
public sealed class SyncCursor
{
    public const string CaseSync = "case-sync";
    public const string ClientSync = "client-sync";
    public const string CaseRefresh = "case-refresh";
    public const string ClientRefresh = "client-refresh";

    public required string Name { get; init; }

    /// <summary>Creation time of the last row (NULL dates count as 1900-01-01), or null when cleared.</summary>
    public DateTime? CreatedAt { get; set; }

    /// <summary>Case or client number of the last row, or null when cleared.</summary>
    public string? Number { get; set; }

    /// <summary>Rows to go through in the current pass (counted when a pass starts; for progress and the refresh batch size).</summary>
    public int? PassTotal { get; set; }

    /// <summary>Rows done in the current pass.</summary>
    public int PassDone { get; set; }

    /// <summary>When the current pass started (for the dashboard's estimate of the time left).</summary>
    public DateTime? PassStartedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>What the last successful activity-type sync sent: its content hash and when.</summary>
public sealed class ActivityTypeSyncState
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;
    public required string Hash { get; set; }
    public DateTime SyncedAt { get; set; }
    public int Count { get; set; }
}
