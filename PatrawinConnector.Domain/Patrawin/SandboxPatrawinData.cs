using System.Data.Common;
using System.Globalization;

namespace PatrawinConnector.Domain.Patrawin;

/// <summary>
/// The sandbox Patrawin: patrawin-schema.sql in SQLite's dialect, and a small, deterministic demo firm. The seed is
/// plain parameterised INSERTs, so the same demo firm also fills a SQL Server Patrawin (the TDS tests use it).
/// </summary>
internal static class SandboxPatrawinData
{
    public const string Schema = """
        CREATE TABLE CREDIT_LEVEL_334 (
            Creditcode        nvarchar(1)  NOT NULL PRIMARY KEY,
            Creditdescription nvarchar(50) NULL,
            Type              int          NOT NULL
        );
        CREATE TABLE KUND_24 (
            Kundnr                       nvarchar(7)      NOT NULL PRIMARY KEY,
            Kortnamnkund                 nvarchar(50)     NOT NULL,
            Skapatdat                    datetime         NULL,
            Kreditjn                     nvarchar(1)      NULL,
            Inaktivjn                    int              NULL,
            Valutakod                    nvarchar(3)      NOT NULL,
            Landkod                      nvarchar(2)      NOT NULL,
            Sprakkod                     nvarchar(1)      NOT NULL,
            Rowguid                      uniqueidentifier NOT NULL,
            Einvoicetype                 smallint         NOT NULL,
            Xmlinvoicetypeid             smallint         NOT NULL,
            Einvoiceaccent               smallint         NOT NULL,
            Enableipforecaster           bit              NOT NULL,
            Automatfakturajn             nvarchar(1)      NOT NULL,
            Usebasicoutsourcingsurcharge bit              NOT NULL,
            IsAgentInFile                bit              NOT NULL
        );
        CREATE TABLE ARENDE_1 (
            Arendenr               nvarchar(50)     NOT NULL PRIMARY KEY,
            Slagord                nvarchar(250)    NULL,
            Skapatdat              smalldatetime    NULL,
            Rowguid                uniqueidentifier NOT NULL,
            Officeid               int              NOT NULL,
            Electronic_file        int              NOT NULL,
            Excludedfromiprcontrol bit              NOT NULL,
            Outsourced             bit              NOT NULL
        );
        CREATE TABLE KUND_ARENDE_25 (
            Id         INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
            Kundtyp    smallint     NOT NULL,
            Arendenr   nvarchar(50) NOT NULL,
            Kundnr     nvarchar(7)  NOT NULL,
            Part       smallint     NOT NULL,
            Useaddress smallint     NOT NULL DEFAULT 0
        );
        CREATE TABLE BEHORIG_50 (
            Id         INTEGER       NOT NULL PRIMARY KEY AUTOINCREMENT,
            Username   nvarchar(6)   NOT NULL,
            Namn       nvarchar(40)  NULL,
            Email      nvarchar(255) NULL,
            Isactive   bit           NOT NULL,
            Officeid   int           NOT NULL,
            Isattorney bit           NOT NULL
        );
        CREATE TABLE FAKTURATEXTNR_15 (
            Fakturatextnr              smallint      NOT NULL,
            Inaktiv                    int           NULL,
            Beskrivning                nvarchar  NULL,
            AmountIncludedInStatistics bit           NOT NULL,
            HoursIncludedInStatistics  bit           NOT NULL
        );
        CREATE TABLE PENDING_TIME_335 (
            Id            INTEGER       NOT NULL PRIMARY KEY AUTOINCREMENT,
            User_Id       int           NOT NULL,
            Arendenr      nvarchar(50)  NULL,
            Kundnr        nvarchar(7)   NOT NULL,
            StartTimeUtc  datetime2(7)  NOT NULL,
            Minutes       int           NOT NULL,
            Fakturatextnr smallint      NOT NULL,
            Text          nvarchar  NULL,
            Imported      datetime2(7)  NULL,
            ImportStatus  int           NOT NULL DEFAULT 0,
            Created       datetime2(7)  NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE TABLE FAKTURATEXT_16 (
            Id               INTEGER       NOT NULL PRIMARY KEY AUTOINCREMENT,
            Fakturatextnr    smallint      NOT NULL,
            Sprakkod         nvarchar(1)   NOT NULL,
            Fakturatext      nvarchar  NULL,
            Skuggfakturatext nvarchar(50)  NULL
        );
        CREATE TABLE FORETAGINFO_56 (
            Skarmsprak nvarchar(1) NULL
        );
        CREATE TABLE PARAMETER_149 (
            Sektion   nvarchar(50)   NOT NULL,
            Parameter nvarchar(100)  NOT NULL,
            Varde     nvarchar(4000) NULL
        );
        -- What the keyset sync reads in order (Patrawin ships without them; docs/operations.md suggests them to DBAs)
        CREATE INDEX IX_ARENDE_1_Skapatdat_Arendenr ON ARENDE_1 (Skapatdat, Arendenr);
        CREATE INDEX IX_KUND_24_Skapatdat_Kundnr ON KUND_24 (Skapatdat, Kundnr);
        CREATE INDEX IX_KUND_ARENDE_25_Arendenr ON KUND_ARENDE_25 (Arendenr, Kundnr);
        """;

    private static readonly (string Code, string Description, int Type)[] CreditLevels =
    [
        ("A", "Normal", 0),
        ("K", "Credit check", 1),
        ("B", "Blocked", CreditLevel.BlockedType),
    ];

    private static readonly (string Number, string ShortName, string? Created, string? Credit)[] Clients =
    [
        ("C10045", "ACME Corp", "2019-03-04 09:12:00", "A"),
        ("C10046", "Boreal Instruments AB", "2020-01-15 14:03:00", "A"),
        ("C10047", "Lindqvist & Dahl", "2020-06-30 08:45:00", "K"),
        ("C10048", "Skärgård Marine AB", "2021-11-02 11:20:00", "A"),
        ("C10049", "Helix Biotech GmbH", "2022-02-17 16:55:00", "A"),
        ("C10050", "Defunct Holdings Ltd", "2022-05-09 10:00:00", "B"),
        ("C10051", "Aurora Optics Oy", null, "A"),
        ("C10052", "Unrated Prospect", "2023-08-21 13:30:00", null),
    ];

    private static readonly (string Number, string? Catchword, string? Created, string Client, short ClientType)[] Cases =
    [
        ("P1033SE00", "ACME widget, Swedish national phase", "2024-03-01 10:15:00", "C10045", 2),
        ("P1033EP00", "ACME widget, European patent", "2024-03-01 10:15:00", "C10045", 2),
        ("P1033US00", "ACME widget, US continuation", "2024-03-02 08:00:00", "C10045", 2),
        ("T2001SE00", "ACME trademark ROADRUNNER", "2023-05-11 09:30:00", "C10045", 2),
        ("P2040SE00", "Boreal: optical level sensor", "2023-09-12 15:42:00", "C10046", 2),
        ("P2041PCT0", "Boreal: sensor calibration method, PCT", "2024-01-08 09:05:00", "C10046", 2),
        ("D3001SE00", "Lindqvist & Dahl: chair design", "2022-10-19 12:00:00", "C10047", 2),
        ("P4100NO00", "Skärgård Marine: hull coating", "2024-06-03 10:30:00", "C10048", 2),
        ("P4101SE00", "  Skärgård Marine: propeller guard  ", "2024-06-03 10:30:00", "C10048", 2),
        ("P5200DE00", "Helix: CRISPR delivery vector", "2024-02-29 17:10:00", "C10049", 2),
        ("P5201EP00", null, "2024-07-14 08:20:00", "C10049", 2),
        ("P6000SE00", "Defunct Holdings: archived portfolio", "2022-05-10 10:00:00", "C10050", 2),
        ("P7000FI00", "Aurora: lens coating", null, "C10051", 2),
        ("P8000SE00", "Boreal: agent-only case without a billing client", "2024-08-01 09:00:00", "C10046", 1),
    ];

    private static readonly (string Username, string Name, string Email, bool Active)[] Users =
    [
        ("JSM", "Jane Smith", "jane.smith@example.com", true),
        ("AKL", "Anders Karlsson", "anders.karlsson@example.com", true),
        ("MNO", "Maria Nordin", "maria.nordin@example.com", true),
        ("ERI", "Erik Inactive", "erik.inactive@example.com", false),
    ];

    private static readonly (short Code, int? Inactive, string English, string Swedish)[] ActivityCodes =
    [
        (5, 0, "Internal", "Intern"),
        (100, 0, "Meeting", "Möte"),
        (110, 0, "Research", "Utredning"),
        (120, 0, "Drafting", "Utkast"),
        (130, 0, "Correspondence", "Korrespondens"),
        (140, 0, "Telephone", "Telefon"),
        (150, 0, "Filing", "Ingivning"),
        (160, 0, "Renewal fee", "Årsavgift"),
        (199, 1, "Obsolete code", "Utgått"),
        (9998, 0, "System", "System"),
    ];

    public static async Task<int> SeedAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var rows = 0;
        var random = new Random(20240314);   // deterministic Rowguids

        foreach (var (code, description, type) in CreditLevels)
        {
            rows += await ExecuteAsync(connection, transaction, ct,
                "INSERT INTO CREDIT_LEVEL_334 (Creditcode, Creditdescription, Type) VALUES (@p1, @p2, @p3)", code, description, type);
        }

        foreach (var (number, shortName, created, credit) in Clients)
        {
            rows += await ExecuteAsync(connection, transaction, ct, """
                INSERT INTO KUND_24 (Kundnr, Kortnamnkund, Skapatdat, Kreditjn, Inaktivjn, Valutakod, Landkod, Sprakkod, Rowguid,
                    Einvoicetype, Xmlinvoicetypeid, Einvoiceaccent, Enableipforecaster, Automatfakturajn, Usebasicoutsourcingsurcharge, IsAgentInFile)
                VALUES (@p1, @p2, @p3, @p4, 0, 'SEK', 'SE', 'E', @p5, 0, 0, 0, 0, 'N', 0, 0)
                """, number, shortName, created, credit, NewGuid(random));
        }

        foreach (var (number, catchword, created, client, clientType) in Cases)
        {
            rows += await ExecuteAsync(connection, transaction, ct, """
                INSERT INTO ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
                VALUES (@p1, @p2, @p3, @p4, 1, 0, 0, 0)
                """, number, catchword, created, NewGuid(random));
            rows += await ExecuteAsync(connection, transaction, ct,
                "INSERT INTO KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part) VALUES (@p1, @p2, @p3, 1)", clientType, number, client);
        }

        foreach (var (username, name, email, active) in Users)
        {
            rows += await ExecuteAsync(connection, transaction, ct,
                "INSERT INTO BEHORIG_50 (Username, Namn, Email, Isactive, Officeid, Isattorney) VALUES (@p1, @p2, @p3, @p4, 1, 1)",
                username, name, email, active);
        }

        foreach (var (code, inactive, english, swedish) in ActivityCodes)
        {
            rows += await ExecuteAsync(connection, transaction, ct,
                "INSERT INTO FAKTURATEXTNR_15 (Fakturatextnr, Inaktiv, Beskrivning, AmountIncludedInStatistics, HoursIncludedInStatistics) VALUES (@p1, @p2, @p3, 1, 1)",
                code, inactive, english);
            rows += await ExecuteAsync(connection, transaction, ct,
                "INSERT INTO FAKTURATEXT_16 (Fakturatextnr, Sprakkod, Fakturatext) VALUES (@p1, 'E', @p2)", code, english);
            rows += await ExecuteAsync(connection, transaction, ct,
                "INSERT INTO FAKTURATEXT_16 (Fakturatextnr, Sprakkod, Fakturatext) VALUES (@p1, 'S', @p2)", code, swedish);
        }

        rows += await ExecuteAsync(connection, transaction, ct, "INSERT INTO FORETAGINFO_56 (Skarmsprak) VALUES ('E')");
        rows += await ExecuteAsync(connection, transaction, ct,
            "INSERT INTO PARAMETER_149 (Sektion, Parameter, Varde) VALUES ('INVOICES RENEWAL INVOICING', 'RENEWAL FEE', '160')");
        return rows;
    }

    private static string NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D", CultureInfo.InvariantCulture).ToUpperInvariant();
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct, string sql, params object?[] values)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i + 1}";
            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteNonQueryAsync(ct);
    }
}
