DECLARE @p int = 500;
DECLARE @min datetime = '1900-01-01T00:00:00.000';
DECLARE @number nvarchar(4000) = N'P1033SE00';

SELECT TOP(@p) [k].[Kundnr], [k].[Kortnamnkund], [k].[Skapatdat]
FROM [dbo].[KUND_24] AS [k]
WHERE EXISTS (
    SELECT 1
    FROM [dbo].[CREDIT_LEVEL_334] AS [c]
    WHERE [c].[Creditcode] = [k].[Kreditjn] AND [c].[Type] <> 2) AND ([k].[Skapatdat] IS NULL OR [k].[Skapatdat] <= @min) AND [k].[Kundnr] > @number
ORDER BY [k].[Kundnr]
