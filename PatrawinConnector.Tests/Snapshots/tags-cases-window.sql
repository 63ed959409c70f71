DECLARE @p int = 250;
DECLARE @min smalldatetime = '1900-01-01T00:00:00';
DECLARE @number nvarchar(50) = N'P1033SE00';
DECLARE @min2 smalldatetime = '1900-01-01T00:00:00';

SELECT TOP(@p) [a].[Arendenr], [a].[Skapatdat]
FROM [dbo].[ARENDE_1] AS [a]
WHERE [a].[Skapatdat] > @min OR [a].[Arendenr] > @number
ORDER BY CASE
    WHEN [a].[Skapatdat] IS NULL OR [a].[Skapatdat] <= @min2 THEN @min2
    ELSE [a].[Skapatdat]
END, [a].[Arendenr]
