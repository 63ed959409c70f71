using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// A large Patrawin-shaped SQLite file: the tables of patrawin-schema.sql with only their primary keys (--sandbox-indexes
/// adds the sandbox's own indexes, for comparison), N clients (2% blocked) and N cases, one billing client each.
/// </summary>
internal static class LargePatrawin
{
    public static async Task<int> GenerateAsync(string[] args)
    {
        var file = Args.Option(args, "--out", "");
        var cases = Args.Int(args, "--cases", 1_000_000);
        var clients = Args.Int(args, "--clients", 100_000);
        var withIndexes = args.Contains("--sandbox-indexes");
        if (file.Length == 0)
        {
            Console.Error.WriteLine("--out FILE is required");
            return 64;
        }
        File.Delete(file);

        var watch = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;");
        await ExecuteAsync(connection, SandboxPatrawinData.Tables);
        await using (var transaction = connection.BeginTransaction())
        {
            await ExecuteAsync(connection, "INSERT INTO CREDIT_LEVEL_334 (Creditcode, Creditdescription, Type) VALUES ('A', 'Normal', 0), ('B', 'Blocked', 2)", transaction);
            await ExecuteAsync(connection, $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {clients})
                INSERT INTO KUND_24 (Kundnr, Kortnamnkund, Skapatdat, Kreditjn, Inaktivjn, Valutakod, Landkod, Sprakkod, Rowguid,
                    Einvoicetype, Xmlinvoicetypeid, Einvoiceaccent, Enableipforecaster, Automatfakturajn, Usebasicoutsourcingsurcharge, IsAgentInFile)
                SELECT printf('K%06d', i), 'Client number ' || i,
                       CASE WHEN i % 997 = 0 THEN NULL ELSE datetime('2000-01-01', '+' || (i * 7) || ' minutes') END,
                       CASE WHEN i % 50 = 0 THEN 'B' ELSE 'A' END, 0, 'SEK', 'SE', 'E', hex(randomblob(16)), 0, 0, 0, 0, 'N', 0, 0
                FROM n
                """, transaction);
            await ExecuteAsync(connection, $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {cases})
                INSERT INTO ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
                SELECT printf('P%07dSE00', i), 'Invention number ' || i || ', national phase',
                       CASE WHEN i % 1000 = 0 THEN NULL ELSE datetime('2000-01-01', '+' || (i / 3) || ' minutes') END,
                       hex(randomblob(16)), 1, 0, 0, 0
                FROM n
                """, transaction);
            await ExecuteAsync(connection, $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {cases})
                INSERT INTO KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part)
                SELECT 2, printf('P%07dSE00', i), printf('K%06d', (i % {clients}) + 1), 1 FROM n
                """, transaction);
            transaction.Commit();
        }
        if (withIndexes)
        {
            await ExecuteAsync(connection, SandboxPatrawinData.SandboxIndexes);
        }
        if (withIndexes)
        {
            // As the sandbox file was measured before; a Patrawin-shaped file as a firm would hand it over has no statistics.
            await ExecuteAsync(connection, "ANALYZE;");
        }
        Console.WriteLine($"generated {cases} cases and {clients} clients ({(withIndexes ? "with the sandbox's indexes" : "primary keys only")}) in {file} in {watch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }
}
