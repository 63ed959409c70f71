DECLARE @numbers1 nvarchar(50) = N'P1033SE00';
DECLARE @numbers2 nvarchar(50) = N'C10045';
DECLARE @createdAt smalldatetime = '2024-03-01T10:15:00';
DECLARE @number nvarchar(50) = N'P1033SE00';
DECLARE @min smalldatetime = '1900-01-01T00:00:00';

SELECT [a].[Arendenr], [a].[Slagord], [a].[Skapatdat], CASE
    WHEN [a].[Arendenr] IN (
        SELECT [k1].[Arendenr]
        FROM [dbo].[KUND_ARENDE_25] AS [k1]
        INNER JOIN [dbo].[KUND_24] AS [k2] ON [k1].[Kundnr] = [k2].[Kundnr]
        INNER JOIN (
            SELECT [c0].[Creditcode]
            FROM [dbo].[CREDIT_LEVEL_334] AS [c0]
            WHERE [c0].[Type] = 2
        ) AS [c1] ON [k2].[Kreditjn] = [c1].[Creditcode]
        WHERE [k1].[Arendenr] IN (
            SELECT [a2].[Arendenr]
            FROM [dbo].[ARENDE_1] AS [a2]
            WHERE [a2].[Arendenr] IN (@numbers1, @numbers2)
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
    INNER JOIN [dbo].[KUND_24] AS [k0] ON [k].[Kundnr] = [k0].[Kundnr]
    INNER JOIN [dbo].[CREDIT_LEVEL_334] AS [c] ON [k0].[Kreditjn] = [c].[Creditcode]
    WHERE [k].[Arendenr] IN (
        SELECT [a1].[Arendenr]
        FROM [dbo].[ARENDE_1] AS [a1]
        WHERE [a1].[Arendenr] IN (@numbers1, @numbers2)
    )
)
ORDER BY CASE
    WHEN [a].[Skapatdat] IS NULL OR [a].[Skapatdat] <= @min THEN @min
    ELSE [a].[Skapatdat]
END, [a].[Arendenr]
