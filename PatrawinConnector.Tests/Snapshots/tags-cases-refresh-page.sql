DECLARE @numbers1 nvarchar(50) = N'P1033SE00';
DECLARE @numbers2 nvarchar(50) = N'C10045';
DECLARE @createdAt smalldatetime = '2024-03-01T10:15:00';
DECLARE @number nvarchar(50) = N'P1033SE00';
DECLARE @min smalldatetime = '1900-01-01T00:00:00';

SELECT [a].[Arendenr], [a].[Slagord], [a].[Skapatdat], CASE
    WHEN [a].[Arendenr] IN (
        SELECT [k1].[Arendenr]
        FROM [dbo].[KUND_ARENDE_25] AS [k1]
        WHERE [k1].[Arendenr] IN (
            SELECT [a2].[Arendenr]
            FROM [dbo].[ARENDE_1] AS [a2]
            WHERE [a2].[Arendenr] IN (@numbers1, @numbers2)
        ) AND [k1].[Kundnr] IN (
            SELECT [k2].[Kundnr]
            FROM [dbo].[KUND_24] AS [k2]
            WHERE [k2].[Kreditjn] IN (
                SELECT [c0].[Creditcode]
                FROM [dbo].[CREDIT_LEVEL_334] AS [c0]
                WHERE [c0].[Type] = 2
            )
        )
    ) THEN CAST(1 AS bit)
    ELSE CAST(0 AS bit)
END
FROM [dbo].[ARENDE_1] AS [a]
WHERE [a].[Skapatdat] >= @createdAt AND ([a].[Skapatdat] > @createdAt OR [a].[Arendenr] > @number) AND [a].[Arendenr] IN (
    SELECT [a0].[Arendenr]
    FROM [dbo].[ARENDE_1] AS [a0]
    WHERE [a0].[Arendenr] IN (@numbers1, @numbers2)
) AND [a].[Arendenr] IN (
    SELECT [k].[Arendenr]
    FROM [dbo].[KUND_ARENDE_25] AS [k]
    WHERE [k].[Arendenr] IN (
        SELECT [a1].[Arendenr]
        FROM [dbo].[ARENDE_1] AS [a1]
        WHERE [a1].[Arendenr] IN (@numbers1, @numbers2)
    ) AND [k].[Kundnr] IN (
        SELECT [k0].[Kundnr]
        FROM [dbo].[KUND_24] AS [k0]
        WHERE [k0].[Kreditjn] IN (
            SELECT [c].[Creditcode]
            FROM [dbo].[CREDIT_LEVEL_334] AS [c]
        )
    )
)
ORDER BY CASE
    WHEN [a].[Skapatdat] IS NULL OR [a].[Skapatdat] <= @min THEN @min
    ELSE [a].[Skapatdat]
END, [a].[Arendenr]
