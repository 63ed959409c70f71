DECLARE @p int = 500;
DECLARE @number nvarchar(50) = N'P1033SE00';

SELECT TOP(@p) [a].[Arendenr], [a].[Slagord], [a].[Skapatdat]
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
            WHERE [c].[Creditcode] = [k0].[Kreditjn] AND [c].[Type] <> 2))) AND [a].[Arendenr] > @number AND [a].[Skapatdat] IS NULL
ORDER BY [a].[Arendenr]
