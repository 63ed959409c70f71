using Microsoft.EntityFrameworkCore;

namespace PatrawinConnector.Domain.Patrawin;

/// <summary>What the readiness probe asks Patrawin: is it there, does it have the tables and columns the connector reads, and does its import keep up.</summary>
public sealed class PatrawinHealthQueries(PatrawinDbContext db)
{
    /// <summary>The cheapest query that proves the database answers (SELECT TOP(1) 1 FROM ARENDE_1, as the Java connector did).</summary>
    public Task<bool> PingAsync(CancellationToken ct) => db.Cases.Select(c => 1).Take(1).AnyAsync(ct);

    /// <summary>
    /// Selects every mapped column of every table the connector uses, zero rows each: a missing table or column makes
    /// the database refuse the query. Returns what is missing, or an empty list.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindSchemaProblemsAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        await ProbeAsync("ARENDE_1", db.Cases.Take(0).ToListAsync(ct), problems);
        await ProbeAsync("KUND_24", db.Clients.Take(0).ToListAsync(ct), problems);
        await ProbeAsync("KUND_ARENDE_25", db.CaseClientLinks.Take(0).ToListAsync(ct), problems);
        await ProbeAsync("CREDIT_LEVEL_334", db.CreditLevels.Take(0).ToListAsync(ct), problems);
        await ProbeAsync("BEHORIG_50", db.Users.Take(0).ToListAsync(ct), problems);
        await ProbeAsync("FAKTURATEXTNR_15", db.ActivityCodes.Take(0).ToListAsync(ct), problems);
        await ProbeAsync("PENDING_TIME_335", db.PendingTime.Take(0).ToListAsync(ct), problems);
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
