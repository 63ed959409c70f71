namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// Where the timesheet entries come from: Kimai 2's REST API (<see cref="KimaiV2Source"/>) or Kimai 1's
/// <c>kimai1_civicrm</c> change queue (<see cref="KimaiV1Source"/>), chosen once by KIMAI_API_VERSION. Everything after the
/// entries are read (the ledger, mappings, CiviCRM, rules e.4–e.7) is the same for both.
/// </summary>
public interface ITimesheetSource
{
    /// <summary>Preflight: Kimai answers and accepts the credentials, or this throws before the run writes anything.</summary>
    Task<SourceSession> OpenAsync(CancellationToken ct);

    /// <summary>
    /// What changed, in batches. The code after each batch runs once the caller applied it: the source may then
    /// acknowledge what <paramref name="settled"/> says CiviCRM (or the ledger) now holds.
    /// </summary>
    IAsyncEnumerable<TimesheetBatch> GetChangesAsync(SourceSession session, ChangeWindow window, ISettledEntries settled, CancellationToken ct);

    /// <summary>The project's entries since <paramref name="syncFromUtc"/> for a mapping just added; empty when the source cannot list by project.</summary>
    Task<IReadOnlyList<KimaiTimesheet>> GetProjectEntriesAsync(SourceSession session, int project, DateTime syncFromUtc, CancellationToken ct);

    /// <summary>Every entry of the reconciliation window the source can see; <paramref name="ledger"/> is what the ledger holds there.</summary>
    Task<IReadOnlyList<KimaiTimesheet>> GetWindowAsync(SourceSession session, DateTime windowStartUtc, LedgerIds ledger, CancellationToken ct);

    /// <summary>One entry, or null when Kimai says it does not exist (it was deleted).</summary>
    Task<KimaiTimesheet?> GetEntryAsync(int id, CancellationToken ct);

    /// <summary>Projects for the mapping page.</summary>
    Task<IReadOnlyList<KimaiProject>> GetProjectsAsync(CancellationToken ct);

    /// <summary>Kimai refused this one entry (a permission on it, not the credentials): the others go on.</summary>
    bool RefusesOneEntry(ExternalServiceException e);
}

/// <summary>What the preflight learnt: the Kimai user's zone (Kimai 2's date filters are in it) and warnings for the run's summary.</summary>
public sealed record SourceSession(TimeZoneInfo Zone, IReadOnlyList<string> Warnings);

/// <summary>The incremental fetch: since the cursor (minus the overlap), or, on the first run, entries that began since SYNC_FROM.</summary>
public sealed record ChangeWindow(DateTime? CursorUtc, DateTime SyncFromUtc);

/// <summary>Entries to apply and ids Kimai reported deleted.</summary>
public sealed record TimesheetBatch(IReadOnlyList<KimaiTimesheet> Changed, IReadOnlyList<int> Deleted)
{
    /// <summary>Queue messages that could not be read, for the run's summary (they stay unconfirmed).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>The ledger's ids of a reconciliation window, and the highest id it holds at all.</summary>
public sealed record LedgerIds(IReadOnlyCollection<int> InWindow, int? Highest);

/// <summary>Which entries of this run are done: applied, recorded as unmapped or running, or deleted; not parked or waiting.</summary>
public interface ISettledEntries
{
    bool IsSettled(int id);
}
