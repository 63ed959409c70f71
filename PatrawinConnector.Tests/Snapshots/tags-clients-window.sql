DECLARE @p int = 250;
DECLARE @min datetime = '1900-01-01T00:00:00.000';
DECLARE @number nvarchar(4000) = N'P1033SE00';
DECLARE @min2 datetime = '1900-01-01T00:00:00.000';

SELECT TOP(@p) [k].[Kundnr], [k].[Skapatdat]
FROM [dbo].[KUND_24] AS [k]
WHERE [k].[Skapatdat] > @min OR [k].[Kundnr] > @number
ORDER BY CASE
    WHEN [k].[Skapatdat] IS NULL OR [k].[Skapatdat] <= @min2 THEN @min2
    ELSE [k].[Skapatdat]
END, [k].[Kundnr]
