DECLARE @p int = 500;
DECLARE @number nvarchar(4000) = N'P1033SE00';

SELECT TOP(@p) [k].[Kundnr], [k].[Kortnamnkund], [k].[Skapatdat], CASE
    WHEN EXISTS (
        SELECT 1
        FROM [dbo].[CREDIT_LEVEL_334] AS [c0]
        WHERE [c0].[Creditcode] = [k].[Kreditjn] AND [c0].[Type] = 2) THEN CAST(1 AS bit)
    ELSE CAST(0 AS bit)
END
FROM [dbo].[KUND_24] AS [k]
WHERE EXISTS (
    SELECT 1
    FROM [dbo].[CREDIT_LEVEL_334] AS [c]
    WHERE [c].[Creditcode] = [k].[Kreditjn]) AND [k].[Kundnr] > @number AND [k].[Skapatdat] IS NULL
ORDER BY [k].[Kundnr]
