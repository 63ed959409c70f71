DECLARE @numbers1 nvarchar(4000) = N'P1033SE00';
DECLARE @numbers2 nvarchar(7) = N'C10045';
DECLARE @createdAt datetime = '2024-03-01T10:15:00.000';
DECLARE @number nvarchar(4000) = N'P1033SE00';
DECLARE @min datetime = '1900-01-01T00:00:00.000';

SELECT [k].[Kundnr], [k].[Kortnamnkund], [k].[Skapatdat], CASE
    WHEN [k].[Kundnr] IN (
        SELECT [k1].[Arendenr]
        FROM [dbo].[KUND_ARENDE_25] AS [k1]
        WHERE [k1].[Arendenr] IN (
            SELECT [k2].[Kundnr]
            FROM [dbo].[KUND_24] AS [k2]
            WHERE [k2].[Kundnr] IN (@numbers1, @numbers2)
        ) AND [k1].[Kundnr] IN (
            SELECT [k3].[Kundnr]
            FROM [dbo].[KUND_24] AS [k3]
            WHERE [k3].[Kreditjn] IN (
                SELECT [c0].[Creditcode]
                FROM [dbo].[CREDIT_LEVEL_334] AS [c0]
                WHERE [c0].[Type] <> 2
            )
        ) AND EXISTS (
            SELECT 1
            FROM [dbo].[ARENDE_1] AS [a]
            WHERE [a].[Arendenr] = [k1].[Arendenr])
    ) THEN CAST(1 AS bit)
    ELSE CAST(0 AS bit)
END
FROM [dbo].[KUND_24] AS [k]
WHERE [k].[Skapatdat] >= @createdAt AND ([k].[Skapatdat] > @createdAt OR [k].[Kundnr] > @number) AND [k].[Kundnr] IN (
    SELECT [k0].[Kundnr]
    FROM [dbo].[KUND_24] AS [k0]
    WHERE [k0].[Kundnr] IN (@numbers1, @numbers2)
) AND [k].[Kreditjn] IN (
    SELECT [c].[Creditcode]
    FROM [dbo].[CREDIT_LEVEL_334] AS [c]
    WHERE [c].[Type] <> 2
)
ORDER BY CASE
    WHEN [k].[Skapatdat] IS NULL OR [k].[Skapatdat] <= @min THEN @min
    ELSE [k].[Skapatdat]
END, [k].[Kundnr]
