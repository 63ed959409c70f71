DECLARE @p int = 500;
DECLARE @number nvarchar(4000) = N'P1033SE00';
DECLARE @min datetime = '1900-01-01T00:00:00.000';

SELECT TOP(@p) [u].[Kundnr], [u].[Kortnamnkund], [u].[Skapatdat]
FROM (
    SELECT [k1].[Kundnr], [k1].[Skapatdat], [k1].[Kortnamnkund]
    FROM (
        SELECT TOP(@p) [k].[Kundnr], [k].[Skapatdat], [k].[Kortnamnkund]
        FROM [dbo].[KUND_24] AS [k]
        WHERE EXISTS (
            SELECT 1
            FROM [dbo].[CREDIT_LEVEL_334] AS [c]
            WHERE [c].[Creditcode] = [k].[Kreditjn] AND [c].[Type] <> 2) AND [k].[Kundnr] > @number AND [k].[Skapatdat] IS NULL
        ORDER BY [k].[Kundnr]
    ) AS [k1]
    UNION ALL
    SELECT [k2].[Kundnr], [k2].[Skapatdat], [k2].[Kortnamnkund]
    FROM (
        SELECT TOP(@p) [k0].[Kundnr], [k0].[Skapatdat], [k0].[Kortnamnkund]
        FROM [dbo].[KUND_24] AS [k0]
        WHERE EXISTS (
            SELECT 1
            FROM [dbo].[CREDIT_LEVEL_334] AS [c0]
            WHERE [c0].[Creditcode] = [k0].[Kreditjn] AND [c0].[Type] <> 2) AND [k0].[Kundnr] > @number AND [k0].[Skapatdat] <= @min
        ORDER BY [k0].[Kundnr]
    ) AS [k2]
) AS [u]
ORDER BY [u].[Kundnr]
