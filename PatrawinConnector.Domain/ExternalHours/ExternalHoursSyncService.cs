using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// external-hours-sync (external-hours.md e.3–e.6): Kimai timesheet entries mirrored into CiviCRM as "Service Hours"
/// activities, additions, changes and deletions alike, from whichever <see cref="ITimesheetSource"/> KIMAI_API_VERSION
/// chose. One run: preflight, the source's changes batch by batch, the projects of added or re-pointed mappings, due
/// retries, the cursor, then reconciliation. An infrastructure failure fails the run and keeps the cursor.
/// </summary>
public sealed class ExternalHoursSyncService(
    ITimesheetSource source,
    CiviCrmClient civicrm,
    EntryApplier applier,
    ExternalHoursReconciler reconciler,
    ExternalHoursLedger ledger,
    ExternalHoursRunGate runGate,
    TimeProvider clock,
    IOptions<ExternalHoursOptions> options,
    IOptions<PatrawinOptions> patrawin,
    ILogger<ExternalHoursSyncService> logger)
{
    private TimeZoneInfo CivicrmZone => TimeZoneInfo.FindSystemTimeZoneById(options.Value.CivicrmTimeZone is { Length: > 0 } zone ? zone : patrawin.Value.TimeZone);

    public async Task<ExternalHoursRunSummary> RunAsync(CancellationToken ct)
    {
        if (!runGate.TryEnter(out var alone))
        {
            logger.LogInformation("external-hours-sync: a run is already in progress; this trigger is skipped");
            return new ExternalHoursRunSummary { Skipped = true };
        }
        using (alone)
        {
            return await RunAloneAsync(ct);
        }
    }

    private async Task<ExternalHoursRunSummary> RunAloneAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var summary = new ExternalHoursRunSummary();

        // 1. Preflight: both ends answer and accept the credentials, or the run fails before any write.
        var session = await source.OpenAsync(ct);
        foreach (var warning in session.Warnings)
        {
            summary.Warnings.Enqueue(warning);
        }
        var sync = await ledger.LoadSyncStateAsync(ct);
        var typeValue = await civicrm.FindOrCreateActivityTypeAsync(settings.ActivityTypeName, settings.ActivityTypeLabel, ct);
        var mappings = await ledger.LoadMappingsAsync(ct);
        var context = new ApplyContext(mappings, typeValue, CivicrmZone, summary);

        // 2–3. T0, then the source's changes, each batch applied before the next is read (Kimai 1 confirms in between).
        var t0 = clock.GetUtcNow().UtcDateTime;
        var syncFrom = sync.SyncFromUtc ?? SyncFrom(settings, t0, session.Zone);
        await foreach (var batch in source.GetChangesAsync(session, new ChangeWindow(sync.CursorUtc, syncFrom), context, ct))
        {
            foreach (var problem in batch.Problems)
            {
                summary.Warnings.Enqueue(problem);
            }
            await ApplyAsync(batch.Changed, context, ct);
            foreach (var id in batch.Deleted.Where(id => !context.Applied.ContainsKey(id)))
            {
                await applier.DeleteOrParkAsync(id, context, ct);
            }
        }

        // Mappings added or re-pointed: the project's entries as Kimai lists them since SYNC_FROM (the first run's fetch
        // already held those), then every entry of the project the ledger knows, whatever its start or state, so unmapped
        // entries become activities and existing activities move (e.6). Entries read fresh this run are not re-applied.
        var applied = mappings.Values.Where(m => m.NeedsApply).ToList();
        foreach (var mapping in applied)
        {
            if (sync.CursorUtc is not null)
            {
                await ApplyAsync(await source.GetProjectEntriesAsync(session, mapping.KimaiProjectId, syncFrom, ct), context, ct);
            }
            await ApplyAsync(await ledger.SnapshotsOfProjectAsync(mapping.KimaiProjectId, ct), context, ct);
        }

        // 4. Due retries, re-read from Kimai (not found: deleted).
        await RetryDueAsync(t0, context, ct);
        summary.Fetched = context.Applied.Count;

        // 6. Everything up to T0 is applied or parked: the cursor moves.
        await ledger.SaveSyncStateAsync(s =>
        {
            s.CursorUtc = t0;
            s.SyncFromUtc = syncFrom;
            s.ActivityTypeValue = typeValue;
        }, ct);
        await ledger.ClearNeedsApplyAsync(applied, ct);

        // 7. Reconciliation.
        await reconciler.ReconcileIfDueAsync(sync, session, t0, context, ct);

        logger.LogInformation("external-hours-sync: {Summary}", summary);
        return summary;
    }

    private async Task ApplyAsync(IReadOnlyCollection<KimaiTimesheet> entries, ApplyContext context, CancellationToken ct)
    {
        await applier.LookUpUnknownActivitiesAsync(entries, context, ct);
        await applier.ApplyAllAsync(entries, context, ct);
    }

    private async Task RetryDueAsync(DateTime now, ApplyContext context, CancellationToken ct)
    {
        var reread = new List<KimaiTimesheet>();
        var deleted = new List<int>();
        foreach (var id in (await ledger.DueRetriesAsync(now, ct)).Where(id => !context.Applied.ContainsKey(id)))
        {
            try
            {
                if (await source.GetEntryAsync(id, ct) is { } entry)
                {
                    reread.Add(entry);
                }
                else
                {
                    deleted.Add(id);
                }
            }
            catch (ExternalServiceException e) when (source.RefusesOneEntry(e))
            {
                context.Summary.Failed.Add(id);
                await applier.ParkAsync(id, null, e.Message, ct);
            }
        }
        await ApplyAsync(reread, context, ct);
        foreach (var id in deleted)
        {
            await applier.DeleteOrParkAsync(id, context, ct);
        }
    }

    /// <summary>EXTERNAL_HOURS_SYNC_FROM is a day in the Kimai user's zone (Kimai's <c>begin</c> filter is in that zone).</summary>
    private static DateTime SyncFrom(ExternalHoursOptions settings, DateTime now, TimeZoneInfo kimaiZone) =>
        settings.SyncFrom is { Length: > 0 } from
            ? LocalToUtc(DateOnly.ParseExact(from, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), kimaiZone)
            : now.AddDays(-settings.ReconcileDays);

    /// <summary>A wall-clock time in a zone as UTC; a time that does not exist (the hour skipped in spring) as the first one after it.</summary>
    internal static DateTime LocalToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
