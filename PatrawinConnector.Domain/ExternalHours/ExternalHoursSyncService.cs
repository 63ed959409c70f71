using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>What one external-hours-sync run did.</summary>
public sealed class ExternalHoursRunSummary
{
    private int _created, _updated, _unchanged, _deleted, _running, _unmapped, _waiting;
    /// <summary>Another run was in progress: this one did nothing.</summary>
    public bool Skipped { get; init; }
    public int Fetched { get; set; }
    public int Created => _created;
    public int Updated => _updated;
    public int Unchanged => _unchanged;
    public int Deleted => _deleted;
    public int Running => _running;
    public int Unmapped => _unmapped;
    /// <summary>Parked entries seen again unchanged before their back-off ended.</summary>
    public int Waiting => _waiting;
    public ConcurrentBag<int> Failed { get; } = [];
    public ConcurrentQueue<string> Warnings { get; } = new();

    public void Count(ApplyResult result)
    {
        _ = result switch
        {
            ApplyResult.Created => Interlocked.Increment(ref _created),
            ApplyResult.Updated => Interlocked.Increment(ref _updated),
            ApplyResult.Unchanged => Interlocked.Increment(ref _unchanged),
            ApplyResult.Deleted => Interlocked.Increment(ref _deleted),
            ApplyResult.Running => Interlocked.Increment(ref _running),
            ApplyResult.Waiting => Interlocked.Increment(ref _waiting),
            _ => Interlocked.Increment(ref _unmapped),
        };
    }

    public override string ToString() => Skipped ? "skipped: another run was in progress" :
        $"fetched {Fetched}: {Created} created, {Updated} updated, {Unchanged} unchanged, {Deleted} deleted, {Running} running, {Unmapped} unmapped, {Failed.Count} failed" +
        (Failed.IsEmpty ? "" : $" (Kimai entries {string.Join(", ", Failed.Order())})") +
        (Waiting == 0 ? "" : $", {Waiting} waiting to be retried") +
        (Warnings.IsEmpty ? "" : "; " + string.Join("; ", Warnings));
}

public enum ApplyResult
{
    Created,
    Updated,
    Unchanged,
    Deleted,
    Running,
    Unmapped,
    Waiting,
}

/// <summary>
/// external-hours-sync (external-hours.md e.3–e.6): Kimai timesheet entries mirrored into CiviCRM as "Service Hours"
/// activities, additions, changes and deletions alike. Incremental by modification time with an overlap, plus window and
/// daily full reconciliation for deletions Kimai cannot report, with a safety valve against mass deletion. The ledger makes
/// every step idempotent: the activity's subject is its idempotency key, so a create whose answer was lost is adopted,
/// never duplicated. An entry-level CiviCRM error parks that entry with back-off; an infrastructure failure fails the run
/// and keeps the cursor.
/// </summary>
public sealed class ExternalHoursSyncService(
    KimaiClient kimai,
    CiviCrmClient civicrm,
    IDbContextFactory<ConnectorStateDbContext> state,
    StateWriteGate writeGate,
    ExternalHoursRunGate runGate,
    TimeProvider clock,
    IOptions<ExternalHoursOptions> options,
    IOptions<PatrawinOptions> patrawin,
    ILogger<ExternalHoursSyncService> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(24);
    private const int LookUpBatch = 100;

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
        var me = await kimai.GetMeAsync(ct);
        if (me.Roles is { } roles && !roles.Contains("ROLE_ADMIN") && !roles.Contains("ROLE_SUPER_ADMIN"))
        {
            summary.Warnings.Enqueue("the Kimai API user is not an administrator: other users' entries may be hidden");
        }
        var kimaiZone = me.Timezone is { Length: > 0 } tz && TimeZoneInfo.TryFindSystemTimeZoneById(tz, out var found) ? found : TimeZoneInfo.Utc;
        var sync = await LoadSyncStateAsync(ct);
        var typeValue = await civicrm.FindOrCreateActivityTypeAsync(settings.ActivityTypeName, settings.ActivityTypeLabel, ct);
        var mappings = await LoadMappingsAsync(ct);

        // 2–3. T0, then the incremental fetch (the first run back-fills from SYNC_FROM by start time).
        var t0 = clock.GetUtcNow().UtcDateTime;
        var syncFrom = sync.SyncFromUtc ?? SyncFrom(settings, t0, kimaiZone);
        var query = sync.CursorUtc is { } cursor
            ? new KimaiTimesheetQuery(ModifiedAfterUtc: cursor.AddMinutes(-settings.OverlapMinutes), PageSize: settings.PageSize)
            : new KimaiTimesheetQuery(BeginLocal: ToZone(syncFrom, kimaiZone), PageSize: settings.PageSize);
        var entries = (await kimai.GetTimesheetsAsync(query, ct)).ToDictionary(e => e.Id);

        // Mappings added or re-pointed: back-fill their projects, so unmapped entries become activities and moved ones move.
        // The first run's fetch already holds every project's entries since SYNC_FROM.
        var applied = mappings.Values.Where(m => m.NeedsApply).ToList();
        foreach (var mapping in sync.CursorUtc is null ? [] : applied)
        {
            foreach (var entry in await kimai.GetTimesheetsAsync(new KimaiTimesheetQuery(BeginLocal: ToZone(syncFrom, kimaiZone), Project: mapping.KimaiProjectId, PageSize: settings.PageSize), ct))
            {
                entries[entry.Id] = entry;
            }
        }

        // 4. Due retries, re-read from Kimai (404: deleted).
        var deleted = new List<int>();
        foreach (var id in (await DueRetriesAsync(t0, ct)).Where(id => !entries.ContainsKey(id)))
        {
            try
            {
                if (await kimai.GetTimesheetAsync(id, ct) is { } entry)
                {
                    entries[id] = entry;
                }
                else
                {
                    deleted.Add(id);
                }
            }
            catch (ExternalServiceException e) when (IsKimaiRefusingOneEntry(e))
            {
                summary.Failed.Add(id);
                await ParkAsync(id, null, e.Message, ct);
            }
        }

        // 5. Apply.
        summary.Fetched = entries.Count;
        var context = new ApplyContext(mappings, typeValue, CivicrmZone, summary);
        await LookUpUnknownActivitiesAsync(entries, context, ct);
        await ApplyAllAsync(entries.Values, context, ct);
        foreach (var id in deleted)
        {
            await DeleteOrParkAsync(id, context, ct);
        }

        // 6. Everything up to T0 is applied or parked: the cursor moves.
        await SaveSyncStateAsync(s =>
        {
            s.CursorUtc = t0;
            s.SyncFromUtc = syncFrom;
            s.ActivityTypeValue = typeValue;
        }, ct);
        await ClearNeedsApplyAsync(applied, ct);

        // 7. Reconciliation: a window every RECONCILE_INTERVAL, everything once a day.
        var full = FullReconcileDue(sync, settings);
        if (full || sync.LastWindowReconcileAt is null || t0 - sync.LastWindowReconcileAt >= TimeSpan.FromMinutes(settings.ReconcileIntervalMinutes))
        {
            await ReconcileAsync(full, t0, kimaiZone, context, ct);
        }

        logger.LogInformation("external-hours-sync: {Summary}", summary);
        return summary;
    }

    private sealed record ApplyContext(Dictionary<int, ExternalHoursMapping> Mappings, int ActivityType, TimeZoneInfo Zone, ExternalHoursRunSummary Summary)
    {
        /// <summary>Entries this run already applied (reconciliation lists them again).</summary>
        public ConcurrentDictionary<int, bool> Applied { get; } = new();

        /// <summary>
        /// Entry → the activity CiviCRM holds under its subject, looked up in batches before applying; null: none, and the
        /// ledger row is already marked (<c>Pending</c>, or still <c>Failed</c>).
        /// </summary>
        public ConcurrentDictionary<int, int?> LookedUp { get; } = new();

        /// <summary>Where <c>Synced</c> marks go while <see cref="ApplyAllAsync"/> runs; null: written at once.</summary>
        public LedgerWriter? Marks { get; set; }
    }

    /// <summary>
    /// The idempotency look-up of e.6 for every entry about to be created, a hundred subjects per <c>Activity.get</c>
    /// instead of one call each, and the <c>Pending</c> mark of those CiviCRM does not hold, in one transaction per
    /// hundred: the first sync costs one CiviCRM round trip and one ledger write per entry, not two of each.
    /// </summary>
    private async Task LookUpUnknownActivitiesAsync(IReadOnlyDictionary<int, KimaiTimesheet> entries, ApplyContext context, CancellationToken ct)
    {
        var candidates = entries.Values.Where(e => !e.IsRunning && e.Project is { } p && context.Mappings.ContainsKey(p)).Select(e => e.Id).ToList();
        var unknown = new List<int>();
        await using (var db = await state.CreateDbContextAsync(ct))
        {
            foreach (var chunk in candidates.Chunk(500))
            {
                var known = await db.ExternalHoursEntries.Where(e => chunk.Contains(e.KimaiTimesheetId) && e.CivicrmActivityId != null)
                    .Select(e => e.KimaiTimesheetId).ToListAsync(ct);
                unknown.AddRange(chunk.Except(known));
            }
        }

        await Parallel.ForEachAsync(unknown.Chunk(LookUpBatch),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = ct },
            async (chunk, token) =>
            {
                var found = await civicrm.FindActivitiesAsync(context.ActivityType, [.. chunk.Select(ActivityValues.SubjectOf)], token);
                await MarkPendingAsync(chunk.Where(id => !found.ContainsKey(ActivityValues.SubjectOf(id))).Select(id => entries[id]), token);
                foreach (var id in chunk)
                {
                    context.LookedUp[id] = found.TryGetValue(ActivityValues.SubjectOf(id), out var activity) ? activity : null;
                }
            });
    }

    /// <summary>Ledger rows about to get their activity created: <c>Pending</c> first (e.6), as one transaction.</summary>
    private Task MarkPendingAsync(IEnumerable<KimaiTimesheet> creating, CancellationToken ct) =>
        SaveEntriesAsync([.. creating.Select(entry => new LedgerChange(entry.Id, row =>
        {
            if (row.State is ExternalHoursEntryState.Detached or ExternalHoursEntryState.Failed)
            {
                // detached: the mapping was removed after this run read it, the apply step leaves the entry;
                // failed: parked with its back-off, and a failed row is looked up by subject just like a pending one
                return;
            }
            row.State = ExternalHoursEntryState.Pending;
            Describe(row, entry, JsonSerializer.Serialize(entry, Json));
        }))], ct);

    /// <summary>
    /// Applies the entries EXTERNAL_HOURS_CONCURRENCY at a time. Their <c>Synced</c> marks go to one writer that commits
    /// a hundred per transaction while the CiviCRM calls go on; whatever is queued is written before this returns, even
    /// when the run fails. A crash loses at most marks whose activities the next run finds by subject.
    /// </summary>
    private async Task ApplyAllAsync(IEnumerable<KimaiTimesheet> entries, ApplyContext context, CancellationToken ct)
    {
        var marks = new LedgerWriter(batch => SaveEntriesAsync(batch, CancellationToken.None));
        context.Marks = marks;
        try
        {
            await Parallel.ForEachAsync(entries.Where(e => context.Applied.TryAdd(e.Id, true)).OrderBy(e => e.Id),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = ct },
                async (entry, token) =>
                {
                    try
                    {
                        context.Summary.Count(await ApplyAsync(entry, context, token));
                    }
                    catch (ExternalServiceException e) when (e.EntryLevel)
                    {
                        context.Summary.Failed.Add(entry.Id);
                        await ParkAsync(entry.Id, entry, e.Message, token);
                    }
                });
        }
        finally
        {
            context.Marks = null;
            await marks.CompleteAsync();
        }
    }

    /// <summary>One entry's current state into CiviCRM (e.6); idempotent.</summary>
    private async Task<ApplyResult> ApplyAsync(KimaiTimesheet entry, ApplyContext context, CancellationToken ct)
    {
        var ledger = await FindEntryAsync(entry.Id, ct);
        if (entry.IsRunning)
        {
            return ApplyResult.Running;   // stopping the timer changes the entry: it comes back
        }

        var snapshot = JsonSerializer.Serialize(entry, Json);
        if (ledger is { State: ExternalHoursEntryState.Failed, NextAttemptAt: { } retryAt } && retryAt > clock.GetUtcNow().UtcDateTime && ledger.Snapshot == snapshot)
        {
            return ApplyResult.Waiting;   // parked and unchanged since: its back-off says when it is tried again
        }
        if (entry.Project is not { } project || !context.Mappings.TryGetValue(project, out var mapping))
        {
            if (ledger?.State == ExternalHoursEntryState.Detached)
            {
                await SaveEntryAsync(entry.Id, row => row.Snapshot = snapshot, ct);   // its mapping was removed: the activity stays
                return ApplyResult.Unmapped;
            }
            if (await ActivityOfAsync(ledger, entry.Id, context.ActivityType, ct) is { } stale)
            {
                await civicrm.DeleteActivityAsync(stale, ct);   // the entry moved to a project without an organisation
            }
            await SaveEntryAsync(entry.Id, row =>
            {
                row.State = ExternalHoursEntryState.Unmapped;
                row.CivicrmActivityId = null;
                row.CivicrmContactId = null;
                row.Fingerprint = null;
                Describe(row, entry, snapshot);
            }, ct);
            return ApplyResult.Unmapped;
        }

        if (ledger?.State == ExternalHoursEntryState.Detached)
        {
            return ApplyResult.Unmapped;   // the mapping was removed after this run read it: the activity stays as it is
        }
        var values = ActivityValues.From(entry, mapping.CivicrmContactId, context.ActivityType, context.Zone, options.Value.ActivityStatus);
        var fingerprint = values.Fingerprint;
        if (ledger is { State: ExternalHoursEntryState.Synced, CivicrmActivityId: not null } && ledger.Fingerprint == fingerprint)
        {
            return ApplyResult.Unchanged;
        }

        var activityId = ledger?.CivicrmActivityId;
        var result = ApplyResult.Updated;
        if (activityId is { } existing && !await civicrm.UpdateActivityAsync(existing, values, ct))
        {
            activityId = null;   // removed in CiviCRM: make it again
        }
        if (activityId is null)
        {
            // consumed once: a second apply of the entry in this run (reconciliation) looks again
            var batched = context.LookedUp.TryRemove(entry.Id, out var found);
            if (!batched)
            {
                found = await LookUpAsync(context.ActivityType, entry.Id, ct);
            }
            // an earlier create's answer was lost: adopt what it made (unless it was removed since the look-up)
            if (found is { } adopted && await civicrm.UpdateActivityAsync(adopted, values, ct))
            {
                activityId = adopted;
            }
            else
            {
                if (!batched || found is not null)   // the batch marked only the entries it found nothing for
                {
                    await SaveEntryAsync(entry.Id, row =>
                    {
                        row.State = ExternalHoursEntryState.Pending;
                        Describe(row, entry, snapshot);
                    }, ct);
                }
                activityId = await civicrm.CreateActivityAsync(values, ct);
                result = ApplyResult.Created;
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await SaveSyncedAsync(context, new LedgerChange(entry.Id, row =>
        {
            if (row.State == ExternalHoursEntryState.Detached)
            {
                return;   // the mapping was removed meanwhile: detached wins, its activity stays
            }
            row.State = ExternalHoursEntryState.Synced;
            row.CivicrmActivityId = activityId;
            row.CivicrmContactId = mapping.CivicrmContactId;
            row.Fingerprint = fingerprint;
            row.LastSyncedAt = now;
            row.Attempts = 0;
            row.NextAttemptAt = null;
            row.LastError = null;
            Describe(row, entry, snapshot);
        }), ct);
        return result;
    }

    private async Task SaveSyncedAsync(ApplyContext context, LedgerChange change, CancellationToken ct)
    {
        if (context.Marks is { } marks)
        {
            await marks.AddAsync(change, ct);
        }
        else
        {
            await SaveEntriesAsync([change], ct);
        }
    }

    /// <summary>
    /// The activity the ledger row knows, or, when a create may have been sent without its answer arriving (pending or
    /// failed), the one CiviCRM holds under the entry's subject.
    /// </summary>
    private async Task<int?> ActivityOfAsync(ExternalHoursEntry? ledger, int id, int activityType, CancellationToken ct) =>
        ledger?.CivicrmActivityId ?? (ledger?.State is ExternalHoursEntryState.Pending or ExternalHoursEntryState.Failed
            ? await LookUpAsync(activityType, id, ct)
            : null);

    private async Task<int?> LookUpAsync(int activityType, int id, CancellationToken ct) =>
        (await civicrm.FindActivitiesAsync(activityType, [ActivityValues.SubjectOf(id)], ct)).TryGetValue(ActivityValues.SubjectOf(id), out var found) ? found : null;

    private async Task DeleteOrParkAsync(int id, ApplyContext context, CancellationToken ct)
    {
        try
        {
            context.Summary.Count(await DeleteAsync(id, context.ActivityType, ct));
        }
        catch (ExternalServiceException e) when (e.EntryLevel)
        {
            context.Summary.Failed.Add(id);
            await ParkAsync(id, null, e.Message, ct);
        }
    }

    /// <summary>Kimai confirmed the entry is gone: its activity goes (count 0 is fine), and so does its ledger row.</summary>
    private async Task<ApplyResult> DeleteAsync(int id, int activityType, CancellationToken ct)
    {
        if (await ActivityOfAsync(await FindEntryAsync(id, ct), id, activityType, ct) is { } activity)
        {
            await civicrm.DeleteActivityAsync(activity, ct);
        }
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await db.ExternalHoursEntries.Where(e => e.KimaiTimesheetId == id).ExecuteDeleteAsync(ct);
        }
        return ApplyResult.Deleted;
    }

    private async Task ReconcileAsync(bool full, DateTime now, TimeZoneInfo kimaiZone, ApplyContext context, CancellationToken ct)
    {
        var settings = options.Value;
        DateTime windowStart;
        await using (var db = await state.CreateDbContextAsync(ct))
        {
            windowStart = full
                ? await db.ExternalHoursEntries.MinAsync(e => (DateTime?)e.BeginUtc, ct) ?? now
                : now.AddDays(-settings.ReconcileDays);
        }

        var listed = await kimai.GetTimesheetsAsync(new KimaiTimesheetQuery(BeginLocal: ToZone(windowStart.AddDays(-1), kimaiZone), PageSize: settings.PageSize), ct);
        await ApplyAllAsync(listed, context, ct);
        var seen = listed.Select(e => e.Id).ToHashSet();

        List<int> candidates;
        int inWindow;
        await using (var db = await state.CreateDbContextAsync(ct))
        {
            var rows = db.ExternalHoursEntries.Where(e => e.BeginUtc >= windowStart && e.State != ExternalHoursEntryState.Detached);
            inWindow = await rows.CountAsync(ct);
            candidates = (await rows.Select(e => e.KimaiTimesheetId).ToListAsync(ct)).Where(id => !seen.Contains(id)).ToList();
        }

        if (candidates.Count > settings.DeleteGuardMinimum && candidates.Count * 100L > (long)settings.DeleteGuardPercent * inWindow)
        {
            context.Summary.Warnings.Enqueue($"reconciliation found {candidates.Count} of {inWindow} entries missing; deletions withheld");
            logger.LogWarning("external-hours-sync: reconciliation found {Missing} of {Total} entries missing in Kimai; deletions withheld until an operator looks",
                candidates.Count, inWindow);
        }
        else
        {
            foreach (var id in candidates)
            {
                try
                {
                    if (await kimai.GetTimesheetAsync(id, ct) is { } entry)
                    {
                        context.Summary.Count(await ApplyAsync(entry, context, ct));
                    }
                    else
                    {
                        await DeleteOrParkAsync(id, context, ct);
                    }
                }
                catch (ExternalServiceException e) when (e.EntryLevel)
                {
                    context.Summary.Failed.Add(id);
                    await ParkAsync(id, null, e.Message, ct);
                }
                catch (ExternalServiceException e) when (IsKimaiRefusingOneEntry(e))
                {
                    logger.LogWarning("external-hours-sync: could not reconcile Kimai entry {EntryId}: {Reason}", id, e.Message);
                }
            }
        }

        await SaveSyncStateAsync(s =>
        {
            s.LastWindowReconcileAt = now;
            if (full)
            {
                s.LastFullReconcileAt = now;
            }
        }, ct);
    }

    private bool FullReconcileDue(ExternalHoursSyncState sync, ExternalHoursOptions settings)
    {
        if (settings.FullReconcileTime is not { } time)
        {
            return false;
        }
        var localNow = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), CivicrmZone).DateTime;
        var dueLocal = localNow.Date + time.ToTimeSpan();
        if (localNow < dueLocal)
        {
            dueLocal = dueLocal.AddDays(-1);
        }
        return sync.LastFullReconcileAt is null || sync.LastFullReconcileAt < LocalToUtc(dueLocal, CivicrmZone);
    }

    /// <summary>Kimai answered 403 for one entry (a permission on that entry, not a refused token): the others go on.</summary>
    private static bool IsKimaiRefusingOneEntry(ExternalServiceException e) =>
        e.Service == KimaiClient.ServiceName && e.StatusCode == System.Net.HttpStatusCode.Forbidden;

    /// <summary>Parks an entry (and its current state from Kimai, when known) with back-off: the others and the cursor go on.</summary>
    private async Task ParkAsync(int id, KimaiTimesheet? entry, string error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var snapshot = entry is null ? null : JsonSerializer.Serialize(entry, Json);
        await SaveEntryAsync(id, row =>
        {
            row.Attempts++;
            row.State = ExternalHoursEntryState.Failed;
            row.LastError = error.Length > 4000 ? error[..4000] : error;
            var backoff = TimeSpan.FromMinutes(options.Value.RetryBaseMinutes * Math.Pow(2, Math.Min(20, row.Attempts - 1)));
            row.NextAttemptAt = now + (backoff > MaxBackoff ? MaxBackoff : backoff);
            if (entry is not null)
            {
                Describe(row, entry, snapshot!);
            }
        }, ct);
        logger.LogWarning("external-hours-sync: Kimai entry {EntryId} failed and is retried later: {Reason}", id, error);
    }

    private static void Describe(ExternalHoursEntry row, KimaiTimesheet entry, string snapshot)
    {
        row.KimaiProjectId = entry.Project;
        row.BeginUtc = entry.Begin.UtcDateTime;
        row.Snapshot = snapshot;
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

    private static DateTime ToZone(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    private async Task<ExternalHoursSyncState> LoadSyncStateAsync(CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursSync.AsNoTracking().FirstOrDefaultAsync(s => s.Id == ExternalHoursSyncState.SingletonId, ct) ?? new ExternalHoursSyncState();
    }

    private async Task SaveSyncStateAsync(Action<ExternalHoursSyncState> change, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            var row = await db.ExternalHoursSync.FirstOrDefaultAsync(s => s.Id == ExternalHoursSyncState.SingletonId, ct);
            if (row is null)
            {
                row = new ExternalHoursSyncState();
                db.ExternalHoursSync.Add(row);
            }
            change(row);
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task<Dictionary<int, ExternalHoursMapping>> LoadMappingsAsync(CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursMappings.AsNoTracking().ToDictionaryAsync(m => m.KimaiProjectId, ct);
    }

    /// <summary>Back-fills done; a mapping changed again while this run went on (a newer UpdatedAt) keeps its mark for the next run.</summary>
    private async Task ClearNeedsApplyAsync(List<ExternalHoursMapping> applied, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            foreach (var mapping in applied)
            {
                await db.ExternalHoursMappings.Where(m => m.KimaiProjectId == mapping.KimaiProjectId && m.UpdatedAt == mapping.UpdatedAt)
                    .ExecuteUpdateAsync(set => set.SetProperty(m => m.NeedsApply, false), ct);
            }
        }
    }

    private async Task<List<int>> DueRetriesAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursEntries
            .Where(e => (e.State == ExternalHoursEntryState.Failed || e.State == ExternalHoursEntryState.Pending) && (e.NextAttemptAt == null || e.NextAttemptAt <= now))
            .Select(e => e.KimaiTimesheetId).ToListAsync(ct);
    }

    private async Task<ExternalHoursEntry?> FindEntryAsync(int id, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursEntries.AsNoTracking().FirstOrDefaultAsync(e => e.KimaiTimesheetId == id, ct);
    }

    private Task SaveEntryAsync(int id, Action<ExternalHoursEntry> change, CancellationToken ct) => SaveEntriesAsync([new LedgerChange(id, change)], ct);

    /// <summary>Changes ledger rows (made when missing) in one transaction.</summary>
    private async Task SaveEntriesAsync(IReadOnlyList<LedgerChange> changes, CancellationToken ct)
    {
        var ids = changes.Select(c => c.KimaiTimesheetId).Distinct().ToList();
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            var rows = await db.ExternalHoursEntries.Where(e => ids.Contains(e.KimaiTimesheetId)).ToDictionaryAsync(e => e.KimaiTimesheetId, ct);
            foreach (var (id, change) in changes)
            {
                if (!rows.TryGetValue(id, out var row))
                {
                    rows[id] = row = new ExternalHoursEntry { KimaiTimesheetId = id };
                    db.ExternalHoursEntries.Add(row);
                }
                change(row);
            }
            await db.SaveChangesAsync(ct);
        }
    }
}
