using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// Kimai 1 through kimai1_civicrm's change queue (external-hours.md b.4, g). Messages are read newest first with
/// <c>getUpdates</c>; of several for one entry only the newest is applied (g.2); each is confirmed once its entry is
/// settled: CiviCRM holds it, or the ledger recorded it as unmapped (g.3), running or deleted. A parked entry's messages
/// stay unconfirmed, and the next <c>getUpdates</c> asks for that many more, so they never starve the others (g.5).
/// What the queue misses (rows inserted after priming are never queued until edited; a same-second edit) is found by
/// reconciliation: every ledger entry of the window re-read with <c>getTimesheetRecord</c>, and the ids after them
/// probed until <see cref="ProbeMisses"/> in a row do not exist.
/// </summary>
public sealed class KimaiV1Source(KimaiV1Client kimai, IOptions<ExternalHoursOptions> options, ILogger<KimaiV1Source> logger) : ITimesheetSource
{
    /// <summary>Ids in a row that do not exist before the probe for never-queued entries stops.</summary>
    public const int ProbeMisses = 5;

    /// <summary>Primes the queue (idempotent; it also proves the endpoint and the key). Unix times need no zone.</summary>
    public async Task<SourceSession> OpenAsync(CancellationToken ct)
    {
        await kimai.PrimeUpdatesAsync(ct);
        return new SourceSession(TimeZoneInfo.Utc, []);
    }

    public async IAsyncEnumerable<TimesheetBatch> GetChangesAsync(SourceSession session, ChangeWindow window, ISettledEntries settled,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var seen = new HashSet<string>();
        var decided = new Dictionary<int, int>();   // entry → the queue id of the message this run applied for it
        var unconfirmed = 0;
        while (true)
        {
            var (messages, bad) = await kimai.GetUpdatesAsync(options.Value.PageSize + unconfirmed, ct);
            var problems = bad.Where(b => seen.Add(b.Key)).Select(b => b.Problem).ToList();
            unconfirmed += problems.Count;
            var fresh = messages.Where(m => seen.Add(m.QueueId.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            foreach (var problem in problems)
            {
                logger.LogWarning("external-hours-sync: {Problem}", problem);
            }
            if (fresh.Count == 0)
            {
                if (problems.Count > 0)
                {
                    yield return new TimesheetBatch([], []) { Problems = problems };
                }
                yield break;
            }

            var byEntry = fresh.GroupBy(m => m.TimeEntryId).ToList();   // newest first within each group, as Kimai answered
            var newest = byEntry.Where(g => !decided.ContainsKey(g.Key)).Select(g => g.First()).ToList();
            yield return new TimesheetBatch([.. newest.Where(m => !m.IsDelete).Select(m => m.Entry!)], [.. newest.Where(m => m.IsDelete).Select(m => m.TimeEntryId)])
            {
                Problems = problems,
            };

            // the batch is applied: confirm every message of a settled entry, older copies included; one queued after the
            // applied one (the entry changed while this run went on) waits for the next run, which applies it
            foreach (var message in newest)
            {
                decided[message.TimeEntryId] = message.QueueId;
            }
            var confirm = fresh.Where(m => m.QueueId <= decided[m.TimeEntryId] && settled.IsSettled(m.TimeEntryId)).Select(m => m.QueueId).ToList();
            unconfirmed += fresh.Count - confirm.Count;
            await ConfirmAsync(confirm, ct);
        }
    }

    private async Task ConfirmAsync(IReadOnlyList<int> queueIds, CancellationToken ct) =>
        await Parallel.ForEachAsync(queueIds, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = ct },
            async (id, token) =>
            {
                if (!await kimai.ConfirmQueueMessageAsync(id, token))
                {
                    logger.LogWarning("external-hours-sync: Kimai no longer knows queue message {QueueId} (ERROR: Invalid ID); nothing to confirm", id);
                }
            });

    /// <summary>The queue cannot be asked for one project: the ledger's snapshots of the project are what a new mapping re-applies.</summary>
    public Task<IReadOnlyList<KimaiTimesheet>> GetProjectEntriesAsync(SourceSession session, int project, DateTime syncFromUtc, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<KimaiTimesheet>>([]);

    /// <summary>
    /// The ledger's entries of the window read again (a same-second edit the queue missed), every id from the window's
    /// first to the highest the ledger holds that the ledger does not know (rows inserted after priming, never edited, so
    /// never queued), and the ids after the highest until <see cref="ProbeMisses"/> in a row do not exist.
    /// </summary>
    public async Task<IReadOnlyList<KimaiTimesheet>> GetWindowAsync(SourceSession session, DateTime windowStartUtc, LedgerIds ledger, CancellationToken ct)
    {
        var found = new ConcurrentDictionary<int, KimaiTimesheet>();
        if (ledger.Highest is not { } highest)
        {
            return [];
        }
        var first = ledger.InWindow.Count > 0 ? ledger.InWindow.Min() : highest + 1;
        await Parallel.ForEachAsync(Enumerable.Range(first, Math.Max(0, highest - first + 1)),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = ct },
            async (id, token) =>
            {
                if (await kimai.GetTimesheetRecordAsync(id, token) is { } entry)
                {
                    found[id] = entry;
                }
            });
        for (int id = highest + 1, misses = 0; misses < ProbeMisses; id++)
        {
            if (await kimai.GetTimesheetRecordAsync(id, ct) is { } entry)
            {
                found[id] = entry;
                misses = 0;
            }
            else
            {
                misses++;
            }
        }
        return [.. found.Values.OrderBy(e => e.Id)];
    }

    public Task<KimaiTimesheet?> GetEntryAsync(int id, CancellationToken ct) => kimai.GetTimesheetRecordAsync(id, ct);

    public Task<IReadOnlyList<KimaiProject>> GetProjectsAsync(CancellationToken ct) => kimai.GetProjectsAsync(ct);

    /// <summary>Kimai 1 has no per-entry permission answer: every refusal is the key's.</summary>
    public bool RefusesOneEntry(ExternalServiceException e) => false;
}
