using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>What one run applies with: the mappings it read, the activity type, CiviCRM's zone, and what it did so far.</summary>
public sealed class ApplyContext(Dictionary<int, ExternalHoursMapping> mappings, int activityType, TimeZoneInfo zone, ExternalHoursRunSummary summary)
    : ISettledEntries
{
    public Dictionary<int, ExternalHoursMapping> Mappings { get; } = mappings;
    public int ActivityType { get; } = activityType;
    public TimeZoneInfo Zone { get; } = zone;
    public ExternalHoursRunSummary Summary { get; } = summary;

    /// <summary>Entries this run already applied or deleted: a later, older copy of one (a stale snapshot, reconciliation) is not applied again.</summary>
    public ConcurrentDictionary<int, bool> Applied { get; } = new();

    /// <summary>Entries this run finished with: applied, recorded, deleted (not parked, not waiting).</summary>
    public ConcurrentDictionary<int, bool> Settled { get; } = new();

    /// <summary>
    /// Entry → the activity CiviCRM holds under its subject, looked up in batches before applying; null: none, and the
    /// ledger row is already marked (<c>Pending</c>, or still <c>Failed</c>).
    /// </summary>
    public ConcurrentDictionary<int, int?> LookedUp { get; } = new();

    /// <summary>Where <c>Synced</c> marks go while <see cref="EntryApplier.ApplyAllAsync"/> runs; null: written at once.</summary>
    public LedgerWriter? Marks { get; set; }

    public bool IsSettled(int id) => Settled.ContainsKey(id);

    public void Count(int id, ApplyResult result)
    {
        Summary.Count(result);
        if (result != ApplyResult.Waiting)
        {
            Settled[id] = true;
        }
    }
}

/// <summary>
/// Applies entries to CiviCRM (external-hours.md e.6), whichever Kimai they came from: idempotent through the ledger, the
/// activity's subject as idempotency key (a create whose answer was lost is adopted, never duplicated), an entry-level
/// CiviCRM error parks that entry with back-off while the others go on.
/// </summary>
public sealed class EntryApplier(
    CiviCrmClient civicrm,
    ExternalHoursLedger ledger,
    TimeProvider clock,
    IOptions<ExternalHoursOptions> options,
    ILogger<EntryApplier> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(24);
    private const int LookUpBatch = 100;

    /// <summary>
    /// The idempotency look-up of e.6 for every entry about to be created, a hundred subjects per <c>Activity.get</c>
    /// instead of one call each, and the <c>Pending</c> mark of those CiviCRM does not hold, in one transaction per
    /// hundred: the first sync costs one CiviCRM round trip and one ledger write per entry, not two of each.
    /// </summary>
    public async Task LookUpUnknownActivitiesAsync(IReadOnlyCollection<KimaiTimesheet> batch, ApplyContext context, CancellationToken ct)
    {
        var entries = batch.Where(e => !context.Applied.ContainsKey(e.Id)).ToDictionary(e => e.Id);
        var candidates = entries.Values.Where(e => !e.IsRunning && e.Project is { } p && context.Mappings.ContainsKey(p)).Select(e => e.Id).ToList();
        var unknown = await ledger.WithoutActivityAsync(candidates, ct);

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
        ledger.SaveEntriesAsync([.. creating.Select(entry => new LedgerChange(entry.Id, row =>
        {
            if (row.State is ExternalHoursEntryState.Detached or ExternalHoursEntryState.Failed)
            {
                // detached: the mapping was removed after this run read it, the apply step leaves the entry;
                // failed: parked with its back-off, and a failed row is looked up by subject just like a pending one
                return;
            }
            row.State = ExternalHoursEntryState.Pending;
            Describe(row, entry, ExternalHoursLedger.Snapshot(entry));
        }))], ct);

    /// <summary>
    /// Applies the entries EXTERNAL_HOURS_CONCURRENCY at a time, each once per run. Their <c>Synced</c> marks go to one
    /// writer that commits a hundred per transaction while the CiviCRM calls go on; whatever is queued is written before
    /// this returns, even when the run fails. A crash loses at most marks whose activities the next run finds by subject.
    /// </summary>
    public async Task ApplyAllAsync(IEnumerable<KimaiTimesheet> entries, ApplyContext context, CancellationToken ct)
    {
        var marks = new LedgerWriter(batch => ledger.SaveEntriesAsync(batch, CancellationToken.None));
        context.Marks = marks;
        try
        {
            await Parallel.ForEachAsync(entries.Where(e => context.Applied.TryAdd(e.Id, true)).OrderBy(e => e.Id),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = ct },
                async (entry, token) => await ApplyOrParkAsync(entry, context, token));
        }
        finally
        {
            context.Marks = null;
            await marks.CompleteAsync();
        }
    }

    /// <summary>One entry; an entry-level CiviCRM failure parks it and the run goes on.</summary>
    public async Task ApplyOrParkAsync(KimaiTimesheet entry, ApplyContext context, CancellationToken ct)
    {
        try
        {
            context.Count(entry.Id, await ApplyAsync(entry, context, ct));
        }
        catch (ExternalServiceException e) when (e.EntryLevel)
        {
            context.Summary.Failed.Add(entry.Id);
            await ParkAsync(entry.Id, entry, e.Message, ct);
        }
    }

    /// <summary>One entry's current state into CiviCRM (e.6); idempotent.</summary>
    private async Task<ApplyResult> ApplyAsync(KimaiTimesheet entry, ApplyContext context, CancellationToken ct)
    {
        var row = await ledger.FindEntryAsync(entry.Id, ct);
        if (entry.IsRunning)
        {
            return ApplyResult.Running;   // stopping the timer changes the entry: it comes back
        }

        var snapshot = ExternalHoursLedger.Snapshot(entry);
        if (row is { State: ExternalHoursEntryState.Failed, NextAttemptAt: { } retryAt } && retryAt > clock.GetUtcNow().UtcDateTime && row.Snapshot == snapshot)
        {
            return ApplyResult.Waiting;   // parked and unchanged since: its back-off says when it is tried again
        }
        if (entry.Project is not { } project || !context.Mappings.TryGetValue(project, out var mapping))
        {
            return await RecordUnmappedAsync(entry, row, snapshot, context, ct);
        }

        if (row?.State == ExternalHoursEntryState.Detached)
        {
            return ApplyResult.Unmapped;   // the mapping was removed after this run read it: the activity stays as it is
        }
        var values = ActivityValues.From(entry, mapping.CivicrmContactId, context.ActivityType, context.Zone, options.Value.ActivityStatus);
        var fingerprint = values.Fingerprint;
        if (row is { State: ExternalHoursEntryState.Synced, CivicrmActivityId: not null } && row.Fingerprint == fingerprint)
        {
            return ApplyResult.Unchanged;
        }

        var activityId = row?.CivicrmActivityId;
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
                    await ledger.SaveEntryAsync(entry.Id, r =>
                    {
                        r.State = ExternalHoursEntryState.Pending;
                        Describe(r, entry, snapshot);
                    }, ct);
                }
                activityId = await civicrm.CreateActivityAsync(values, ct);
                result = ApplyResult.Created;
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await SaveSyncedAsync(context, new LedgerChange(entry.Id, r =>
        {
            if (r.State == ExternalHoursEntryState.Detached)
            {
                return;   // the mapping was removed meanwhile: detached wins, its activity stays
            }
            r.State = ExternalHoursEntryState.Synced;
            r.CivicrmActivityId = activityId;
            r.CivicrmContactId = mapping.CivicrmContactId;
            r.Fingerprint = fingerprint;
            r.LastSyncedAt = now;
            r.Attempts = 0;
            r.NextAttemptAt = null;
            r.LastError = null;
            Describe(r, entry, snapshot);
        }), ct);
        return result;
    }

    /// <summary>No organisation for the entry's project: its stale activity goes (unless detached), the entry is remembered.</summary>
    private async Task<ApplyResult> RecordUnmappedAsync(KimaiTimesheet entry, ExternalHoursEntry? row, string snapshot, ApplyContext context, CancellationToken ct)
    {
        if (row?.State == ExternalHoursEntryState.Detached)
        {
            await ledger.SaveEntryAsync(entry.Id, r => r.Snapshot = snapshot, ct);   // its mapping was removed: the activity stays
            return ApplyResult.Unmapped;
        }
        if (await ActivityOfAsync(row, entry.Id, context.ActivityType, ct) is { } stale)
        {
            await civicrm.DeleteActivityAsync(stale, ct);   // the entry moved to a project without an organisation
        }
        await ledger.SaveEntryAsync(entry.Id, r =>
        {
            r.State = ExternalHoursEntryState.Unmapped;
            r.CivicrmActivityId = null;
            r.CivicrmContactId = null;
            r.Fingerprint = null;
            Describe(r, entry, snapshot);
        }, ct);
        return ApplyResult.Unmapped;
    }

    private async Task SaveSyncedAsync(ApplyContext context, LedgerChange change, CancellationToken ct)
    {
        if (context.Marks is { } marks)
        {
            await marks.AddAsync(change, ct);
        }
        else
        {
            await ledger.SaveEntriesAsync([change], ct);
        }
    }

    /// <summary>
    /// The activity the ledger row knows, or, when a create may have been sent without its answer arriving (pending or
    /// failed), the one CiviCRM holds under the entry's subject.
    /// </summary>
    private async Task<int?> ActivityOfAsync(ExternalHoursEntry? row, int id, int activityType, CancellationToken ct) =>
        row?.CivicrmActivityId ?? (row?.State is ExternalHoursEntryState.Pending or ExternalHoursEntryState.Failed
            ? await LookUpAsync(activityType, id, ct)
            : null);

    private async Task<int?> LookUpAsync(int activityType, int id, CancellationToken ct) =>
        (await civicrm.FindActivitiesAsync(activityType, [ActivityValues.SubjectOf(id)], ct)).TryGetValue(ActivityValues.SubjectOf(id), out var found) ? found : null;

    /// <summary>Kimai says the entry is gone: its activity goes (count 0 is fine), and so does its ledger row; a CiviCRM error parks it.</summary>
    public async Task DeleteOrParkAsync(int id, ApplyContext context, CancellationToken ct)
    {
        context.Applied[id] = true;
        try
        {
            if (await ActivityOfAsync(await ledger.FindEntryAsync(id, ct), id, context.ActivityType, ct) is { } activity)
            {
                await civicrm.DeleteActivityAsync(activity, ct);
            }
            await ledger.DropEntryAsync(id, ct);
            context.Count(id, ApplyResult.Deleted);
        }
        catch (ExternalServiceException e) when (e.EntryLevel)
        {
            context.Summary.Failed.Add(id);
            await ParkAsync(id, null, e.Message, ct);
        }
    }

    /// <summary>Parks an entry (and its current state from Kimai, when known) with back-off: the others and the cursor go on.</summary>
    public async Task ParkAsync(int id, KimaiTimesheet? entry, string error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var snapshot = entry is null ? null : ExternalHoursLedger.Snapshot(entry);
        await ledger.SaveEntryAsync(id, row =>
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
}
