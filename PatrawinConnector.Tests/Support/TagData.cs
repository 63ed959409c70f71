using System.Globalization;

namespace PatrawinConnector.Tests.Support;

/// <summary>Adds cases and clients to a sandbox Patrawin, and answers what the tag jobs should see, independently of them.</summary>
public static class TagData
{
    public static Task AddCaseAsync(this SandboxPatrawin patrawin, string number, string? catchword, string? created, string client = "C10045", int clientType = 2) =>
        patrawin.ExecuteAsync("""
            INSERT INTO ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
            VALUES ($1, $2, $3, lower(hex(randomblob(16))), 1, 0, 0, 0);
            INSERT INTO KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part) VALUES ($5, $1, $4, 1);
            """, number, catchword, created, client, clientType);

    public static Task AddClientAsync(this SandboxPatrawin patrawin, string number, string shortName, string? created, string? credit = "A") =>
        patrawin.ExecuteAsync("""
            INSERT INTO KUND_24 (Kundnr, Kortnamnkund, Skapatdat, Kreditjn, Inaktivjn, Valutakod, Landkod, Sprakkod, Rowguid,
                Einvoicetype, Xmlinvoicetypeid, Einvoiceaccent, Enableipforecaster, Automatfakturajn, Usebasicoutsourcingsurcharge, IsAgentInFile)
            VALUES ($1, $2, $3, $4, 0, 'SEK', 'SE', 'E', lower(hex(randomblob(16))), 0, 0, 0, 0, 'N', 0, 0)
            """, number, shortName, created, credit);

    /// <summary>Adds <paramref name="count"/> cases of client C10045 with random dates (some NULL, some equal, some 1900-01-01).</summary>
    public static async Task AddRandomCasesAsync(this SandboxPatrawin patrawin, int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var created = random.Next(10) switch
            {
                0 => null,
                1 => "1900-01-01 00:00:00",
                _ => new DateTime(2020, 1, 1).AddMinutes(random.Next(0, 40) * 60).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            };
            await patrawin.AddCaseAsync($"R{random.Next(100000):D5}-{i:D4}", $"Random case {i}", created);
        }
    }

    /// <summary>Every case or client the tag-sync should upsert, in the order it should, straight from SQL (the oracle).</summary>
    public static Task<List<string>> ExpectedNewCasesAsync(this SandboxPatrawin patrawin) => patrawin.QueryStringsAsync("""
        SELECT a.Arendenr FROM ARENDE_1 a
        WHERE EXISTS (SELECT 1 FROM KUND_ARENDE_25 l JOIN KUND_24 k ON k.Kundnr = l.Kundnr JOIN CREDIT_LEVEL_334 c ON c.Creditcode = k.Kreditjn
                      WHERE l.Arendenr = a.Arendenr AND c.Type <> 2)
        ORDER BY COALESCE(a.Skapatdat, '1900-01-01 00:00:00'), a.Arendenr
        """);

    public static Task<List<string>> ExpectedNewClientsAsync(this SandboxPatrawin patrawin) => patrawin.QueryStringsAsync("""
        SELECT k.Kundnr FROM KUND_24 k JOIN CREDIT_LEVEL_334 c ON c.Creditcode = k.Kreditjn
        WHERE c.Type <> 2
        ORDER BY COALESCE(k.Skapatdat, '1900-01-01 00:00:00'), k.Kundnr
        """);

    public static async Task<List<string>> QueryStringsAsync(this SandboxPatrawin patrawin, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(patrawin.ConnectionString.Value);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}
