DECLARE @p int = 500;
DECLARE @number nvarchar(4000) = N'P1033SE00';

SELECT TOP(@p) [k].[Kundnr], [k].[Kortnamnkund], [k].[Skapatdat]
FROM [dbo].[KUND_24] AS [k]
WHERE EXISTS (
    SELECT 1
    FROM [dbo].[CREDIT_LEVEL_334] AS [c]
    WHERE [c].[Creditcode] = [k].[Kreditjn] AND [c].[Type] <> 2) AND [k].[Kundnr] > @number AND [k].[Skapatdat] IS NULL
ORDER BY [k].[Kundnr]
