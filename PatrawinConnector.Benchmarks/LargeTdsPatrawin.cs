using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.SqlClient;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// A Patrawin database on a TDS server (Babelfish here, SQL Server anywhere): dropped and created, the tables of
/// patrawin-schema.sql with only their primary keys, the tests' stand-in pw_PostTime, then either the sandbox's demo
/// firm (--demo, to try the connector by hand) or N clients and N cases shaped like <see cref="LargePatrawin"/>'s file.
/// </summary>
internal static class LargeTdsPatrawin
{
    public static async Task<int> GenerateAsync(string[] args)
    {
        var server = Args.Option(args, "--server", "");
        var database = Args.Option(args, "--database", "patrawin");
        var cases = Args.Int(args, "--cases", 100_000);
        var clients = Args.Int(args, "--clients", 10_000);
        var demo = args.Contains("--demo");
        if (server.Length == 0 || !IsPlainName(database) || cases < 0 || clients < 1)
        {
            Console.Error.WriteLine("--server CONNECTION_STRING (to master) is required; --database a plain name; --cases ≥ 0; --clients ≥ 1");
            return 64;
        }

        var watch = Stopwatch.StartNew();
        await using (var master = new SqlConnection(server))
        {
            await master.OpenAsync();
            await ExecuteAsync(master, $"IF DB_ID('{database}') IS NOT NULL DROP DATABASE {database}");
            await ExecuteAsync(master, $"CREATE DATABASE {database}");
        }
        await using var connection = new SqlConnection(new SqlConnectionStringBuilder(server) { InitialCatalog = database }.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Tds", "patrawin-schema.sql")));
        await ExecuteAsync(connection, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Tds", "pw_PostTime.sql")));
        await using (DbTransaction transaction = await connection.BeginTransactionAsync())
        {
            if (demo)
            {
                await SandboxPatrawinData.SeedAsync(connection, transaction, CancellationToken.None);
            }
            else
            {
                await SeedLargeAsync(connection, (SqlTransaction)transaction, cases, clients);
            }
            await transaction.CommitAsync();
        }
        Console.WriteLine(demo
            ? $"created {database} with the demo firm in {watch.Elapsed.TotalSeconds:F1} s"
            : $"created {database} with {cases} cases and {clients} clients (primary keys only) in {watch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    /// <summary>The rows of <see cref="LargePatrawin"/>, set-based in T-SQL: numbers from a cross join of digits.</summary>
    private static async Task SeedLargeAsync(SqlConnection connection, SqlTransaction transaction, int cases, int clients)
    {
        await ExecuteAsync(connection, "INSERT INTO dbo.CREDIT_LEVEL_334 (Creditcode, Creditdescription, Type) VALUES ('A', 'Normal', 0), ('B', 'Blocked', 2)", transaction);
        await ExecuteAsync(connection, $"""
            {Numbers(clients)}
            INSERT INTO dbo.KUND_24 (Kundnr, Kortnamnkund, Skapatdat, Kreditjn, Inaktivjn, Valutakod, Landkod, Sprakkod, Rowguid,
                Einvoicetype, Xmlinvoicetypeid, Einvoiceaccent, Enableipforecaster, Automatfakturajn, Usebasicoutsourcingsurcharge, IsAgentInFile)
            SELECT 'K' + RIGHT('000000' + CAST(i AS varchar(7)), 6), 'Client number ' + CAST(i AS varchar(7)),
                   CASE WHEN i % 997 = 0 THEN NULL ELSE DATEADD(minute, i * 7, CAST('2000-01-01' AS smalldatetime)) END,
                   CASE WHEN i % 50 = 0 THEN 'B' ELSE 'A' END, 0, 'SEK', 'SE', 'E', NEWID(), 0, 0, 0, 0, 'N', 0, 0
            FROM n WHERE i <= {clients}
            """, transaction);
        await ExecuteAsync(connection, $"""
            {Numbers(cases)}
            INSERT INTO dbo.ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
            SELECT 'P' + RIGHT('0000000' + CAST(i AS varchar(8)), 7) + 'SE00', 'Invention number ' + CAST(i AS varchar(8)) + ', national phase',
                   CASE WHEN i % 1000 = 0 THEN NULL ELSE DATEADD(minute, i / 3, CAST('2000-01-01' AS smalldatetime)) END,
                   NEWID(), 1, 0, 0, 0
            FROM n WHERE i <= {cases}
            """, transaction);
        await ExecuteAsync(connection, $"""
            {Numbers(cases)}
            INSERT INTO dbo.KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part)
            SELECT 2, 'P' + RIGHT('0000000' + CAST(i AS varchar(8)), 7) + 'SE00', 'K' + RIGHT('000000' + CAST((i % {clients}) + 1 AS varchar(7)), 6), 1
            FROM n WHERE i <= {cases}
            """, transaction);
    }

    /// <summary>A CTE <c>n(i)</c> of 1 to at least <paramref name="max"/>: one cross join of ten digits per decimal place.</summary>
    private static string Numbers(int max)
    {
        var places = Math.Max(1, max.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var sum = string.Join(" + ", Enumerable.Range(1, places).Select(p => p == 1 ? "d1.v" : $"{Math.Pow(10, p - 1):F0} * d{p}.v"));
        var joins = string.Join(" CROSS JOIN ", Enumerable.Range(1, places).Select(p => $"d AS d{p}"));
        return $"WITH d AS (SELECT v FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS t(v)), n AS (SELECT {sum} + 1 AS i FROM {joins})";
    }

    private static bool IsPlainName(string name) => name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static async Task ExecuteAsync(SqlConnection connection, string sql, SqlTransaction? transaction = null)
    {
        await using var command = new SqlCommand(sql, connection, transaction) { CommandTimeout = 1800 };
        await command.ExecuteNonQueryAsync();
    }
}
