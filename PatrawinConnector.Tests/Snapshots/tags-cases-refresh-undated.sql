DECLARE @p int = 500;
DECLARE @number nvarchar(50) = N'P1033SE00';

SELECT TOP(@p) [a].[Arendenr], [a].[Slagord], [a].[Skapatdat], CASE
    WHEN EXISTS (
        SELECT 1
        FROM [dbo].[KUND_ARENDE_25] AS [k1]
        WHERE [k1].[Arendenr] = [a].[Arendenr] AND EXISTS (
            SELECT 1
            FROM [dbo].[KUND_24] AS [k2]
            WHERE [k2].[Kundnr] = [k1].[Kundnr] AND EXISTS (
                SELECT 1
                FROM [dbo].[CREDIT_LEVEL_334] AS [c0]
                WHERE [c0].[Creditcode] = [k2].[Kreditjn] AND [c0].[Type] = 2))) THEN CAST(1 AS bit)
    ELSE CAST(0 AS bit)
END
FROM [dbo].[ARENDE_1] AS [a]
WHERE EXISTS (
    SELECT 1
    FROM [dbo].[KUND_ARENDE_25] AS [k]
    WHERE [k].[Arendenr] = [a].[Arendenr] AND EXISTS (
        SELECT 1
        FROM [dbo].[KUND_24] AS [k0]
        WHERE [k0].[Kundnr] = [k].[Kundnr] AND EXISTS (
            SELECT 1
            FROM [dbo].[CREDIT_LEVEL_334] AS [c]
            WHERE [c].[Creditcode] = [k0].[Kreditjn]))) AND [a].[Arendenr] > @number AND [a].[Skapatdat] IS NULL
ORDER BY [a].[Arendenr]
