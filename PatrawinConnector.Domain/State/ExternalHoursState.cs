namespace PatrawinConnector.Domain.State;

/// <summary>A Kimai project mapped to a CiviCRM organisation (external-hours.md e.2). Several projects may map to one organisation.</summary>
public sealed class ExternalHoursMapping
{
    public int KimaiProjectId { get; init; }
    public int CivicrmContactId { get; set; }
    public string? ProjectName { get; set; }
    public string? CustomerName { get; set; }
    public string? OrganisationName { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Added or re-pointed since the last run: that run back-fills the project and moves its activities.</summary>
    public bool NeedsApply { get; set; }
}

public enum ExternalHoursEntryState
{
    Synced,
    /// <summary>A create was about to be sent: the next apply first looks the activity up by its subject.</summary>
    Pending,
    Unmapped,
    /// <summary>Its project's mapping was removed: its activity stays, the entry is ignored until the project is mapped again.</summary>
    Detached,
    Failed,
}

/// <summary>The ledger: one Kimai timesheet entry and the CiviCRM activity it became.</summary>
public sealed class ExternalHoursEntry
{
    public int KimaiTimesheetId { get; init; }
    public int? CivicrmActivityId { get; set; }
    public ExternalHoursEntryState State { get; set; }
    public int? KimaiProjectId { get; set; }
    public int? CivicrmContactId { get; set; }
    public DateTime BeginUtc { get; set; }
    /// <summary>The last entry JSON seen (enough to re-apply it when its mapping changes).</summary>
    public string? Snapshot { get; set; }
    public string? Fingerprint { get; set; }
    public DateTime? LastSyncedAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>Where the external hours sync stands.</summary>
public sealed class ExternalHoursSyncState
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;
    /// <summary>T0 of the last run that applied everything: the next fetch asks for entries modified since (minus the overlap).</summary>
    public DateTime? CursorUtc { get; set; }
    public DateTime? LastWindowReconcileAt { get; set; }
    public DateTime? LastFullReconcileAt { get; set; }
    public int? ActivityTypeValue { get; set; }
    public DateTime? SyncFromUtc { get; set; }
}
