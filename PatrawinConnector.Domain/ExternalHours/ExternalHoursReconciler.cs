using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// Reconciliation (external-hours.md e.5): finds what the incremental fetch cannot see, deletions above all. Every entry of
/// the window is applied; ledger rows of the window the source no longer lists are confirmed one by one (gone: the
/// activity goes), unless so many are missing that a wrong instance or lost permissions are likelier (the safety valve).
/// A window every RECONCILE_INTERVAL, everything once a day.
/// </summary>
public sealed class ExternalHoursReconciler(
    ITimesheetSource source,
    EntryApplier applier,
    ExternalHoursLedger ledger,
    TimeProvider clock,
    IOptions<ExternalHoursOptions> options,
    ILogger<ExternalHoursReconciler> logger)
{
    public async Task ReconcileIfDueAsync(ExternalHoursSyncState sync, SourceSession session, DateTime now, ApplyContext context, CancellationToken ct)
    {
        var settings = options.Value;
        var full = FullReconcileDue(sync, settings, context.Zone);
        if (full || sync.LastWindowReconcileAt is null || now - sync.LastWindowReconcileAt >= TimeSpan.FromMinutes(settings.ReconcileIntervalMinutes))
        {
            await ReconcileAsync(full, session, now, context, ct);
        }
    }

    private async Task ReconcileAsync(bool full, SourceSession session, DateTime now, ApplyContext context, CancellationToken ct)
    {
        var settings = options.Value;
        var windowStart = full ? await ledger.EarliestBeginAsync(ct) ?? now : now.AddDays(-settings.ReconcileDays);

        var listed = await source.GetWindowAsync(session, windowStart, await ledger.IdsFromAsync(windowStart, ct), ct);
        await applier.ApplyAllAsync(listed, context, ct);
        var seen = listed.Select(e => e.Id).ToHashSet();

        var inWindow = (await ledger.IdsFromAsync(windowStart, ct)).InWindow;
        var candidates = inWindow.Where(id => !seen.Contains(id)).ToList();
        if (candidates.Count > settings.DeleteGuardMinimum && candidates.Count * 100L > (long)settings.DeleteGuardPercent * inWindow.Count)
        {
            context.Summary.Warnings.Enqueue($"reconciliation found {candidates.Count} of {inWindow.Count} entries missing; deletions withheld");
            logger.LogWarning("external-hours-sync: reconciliation found {Missing} of {Total} entries missing in Kimai; deletions withheld until an operator looks",
                candidates.Count, inWindow.Count);
        }
        else
        {
            foreach (var id in candidates)
            {
                await ConfirmMissingAsync(id, context, ct);
            }
        }

        await ledger.SaveSyncStateAsync(s =>
        {
            s.LastWindowReconcileAt = now;
            if (full)
            {
                s.LastFullReconcileAt = now;
            }
        }, ct);
    }

    /// <summary>A ledger entry the listing left out, read on its own: gone → its activity goes; there → applied.</summary>
    private async Task ConfirmMissingAsync(int id, ApplyContext context, CancellationToken ct)
    {
        try
        {
            if (await source.GetEntryAsync(id, ct) is { } entry)
            {
                await applier.ApplyOrParkAsync(entry, context, ct);
            }
            else
            {
                await applier.DeleteOrParkAsync(id, context, ct);
            }
        }
        catch (ExternalServiceException e) when (source.RefusesOneEntry(e))
        {
            logger.LogWarning("external-hours-sync: could not reconcile Kimai entry {EntryId}: {Reason}", id, e.Message);
        }
    }

    private bool FullReconcileDue(ExternalHoursSyncState sync, ExternalHoursOptions settings, TimeZoneInfo civicrmZone)
    {
        if (settings.FullReconcileTime is not { } time)
        {
            return false;
        }
        var localNow = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), civicrmZone).DateTime;
        var dueLocal = localNow.Date + time.ToTimeSpan();
        if (localNow < dueLocal)
        {
            dueLocal = dueLocal.AddDays(-1);
        }
        return sync.LastFullReconcileAt is null || sync.LastFullReconcileAt < ExternalHoursSyncService.LocalToUtc(dueLocal, civicrmZone);
    }
}
