using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// Kimai 2 (external-hours.md c, e.3): changes by <c>modified_after</c> from the cursor minus the overlap, the first run
/// by <c>begin</c> from SYNC_FROM; deletions are found only by reconciliation (c.5), which lists the window by start time.
/// </summary>
public sealed class KimaiV2Source(KimaiClient kimai, IOptions<ExternalHoursOptions> options) : ITimesheetSource
{
    private int PageSize => options.Value.PageSize;

    public async Task<SourceSession> OpenAsync(CancellationToken ct)
    {
        var me = await kimai.GetMeAsync(ct);
        var warnings = me.Roles is { } roles && !roles.Contains("ROLE_ADMIN") && !roles.Contains("ROLE_SUPER_ADMIN")
            ? new[] { "the Kimai API user is not an administrator: other users' entries may be hidden" }
            : [];
        var zone = me.Timezone is { Length: > 0 } tz && TimeZoneInfo.TryFindSystemTimeZoneById(tz, out var found) ? found : TimeZoneInfo.Utc;
        return new SourceSession(zone, warnings);
    }

    public async IAsyncEnumerable<TimesheetBatch> GetChangesAsync(SourceSession session, ChangeWindow window, ISettledEntries settled,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var query = window.CursorUtc is { } cursor
            ? new KimaiTimesheetQuery(ModifiedAfterUtc: cursor.AddMinutes(-options.Value.OverlapMinutes), PageSize: PageSize)
            : new KimaiTimesheetQuery(BeginLocal: ToZone(window.SyncFromUtc, session.Zone), PageSize: PageSize);
        yield return new TimesheetBatch(await kimai.GetTimesheetsAsync(query, ct), []);
    }

    public Task<IReadOnlyList<KimaiTimesheet>> GetProjectEntriesAsync(SourceSession session, int project, DateTime syncFromUtc, CancellationToken ct) =>
        kimai.GetTimesheetsAsync(new KimaiTimesheetQuery(BeginLocal: ToZone(syncFromUtc, session.Zone), Project: project, PageSize: PageSize), ct);

    /// <summary>Every entry that began in the window, asked from a day earlier (harmless, and safe across zone offsets).</summary>
    public Task<IReadOnlyList<KimaiTimesheet>> GetWindowAsync(SourceSession session, DateTime windowStartUtc, LedgerIds ledger, CancellationToken ct) =>
        kimai.GetTimesheetsAsync(new KimaiTimesheetQuery(BeginLocal: ToZone(windowStartUtc.AddDays(-1), session.Zone), PageSize: PageSize), ct);

    public Task<KimaiTimesheet?> GetEntryAsync(int id, CancellationToken ct) => kimai.GetTimesheetAsync(id, ct);

    public Task<IReadOnlyList<KimaiProject>> GetProjectsAsync(CancellationToken ct) => kimai.GetProjectsAsync(ct);

    /// <summary>403 for one entry: a permission on that entry, not a refused token (that is a 401).</summary>
    public bool RefusesOneEntry(ExternalServiceException e) =>
        e.Service == KimaiClient.ServiceName && e.StatusCode == System.Net.HttpStatusCode.Forbidden;

    private static DateTime ToZone(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}
