using Microsoft.EntityFrameworkCore;

namespace PatrawinConnector.Domain.Patrawin;

/// <summary>What the readiness probe asks Patrawin: is it there, does it have the tables and columns the connector reads, and does its import keep up.</summary>
public sealed class PatrawinHealthQueries(PatrawinDbContext db)
{
    /// <summary>The cheapest query that proves the database answers: does ARENDE_1 have a row (EXISTS, no row-limiting without an order).</summary>
    public Task<bool> PingAsync(CancellationToken ct) => db.Cases.AnyAsync(ct);

    /// <summary>
    /// Selects every mapped column of every table the connector uses, zero rows each (WHERE 0 = 1): a missing table or column makes
    /// the database refuse the query. Returns what is missing, or an empty list.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindSchemaProblemsAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        await ProbeAsync("ARENDE_1", db.Cases.Where(_ => false).ToListAsync(ct), problems);
        await ProbeAsync("KUND_24", db.Clients.Where(_ => false).ToListAsync(ct), problems);
        await ProbeAsync("KUND_ARENDE_25", db.CaseClientLinks.Where(_ => false).ToListAsync(ct), problems);
        await ProbeAsync("CREDIT_LEVEL_334", db.CreditLevels.Where(_ => false).ToListAsync(ct), problems);
        await ProbeAsync("BEHORIG_50", db.Users.Where(_ => false).ToListAsync(ct), problems);
        await ProbeAsync("FAKTURATEXTNR_15", db.ActivityCodes.Where(_ => false).ToListAsync(ct), problems);
        await ProbeAsync("PENDING_TIME_335", db.PendingTime.Where(_ => false).ToListAsync(ct), problems);
        return problems;
    }

    /// <summary>The oldest time row Patrawin's import has not taken yet and that was created at or before <paramref name="createdBefore"/> (server clock).</summary>
    public Task<DateTime?> OldestUnimportedAsync(DateTime createdBefore, CancellationToken ct) =>
        db.PendingTime.Where(p => p.Imported == null && p.Created <= createdBefore).MinAsync(p => (DateTime?)p.Created, ct);

    private static async Task ProbeAsync<T>(string table, Task<List<T>> query, List<string> problems)
    {
        try
        {
            await query;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            problems.Add($"{table}: {e.Message}");
        }
    }
}
