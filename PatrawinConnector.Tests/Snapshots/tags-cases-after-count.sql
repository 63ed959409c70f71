DECLARE @p int = 50001;
DECLARE @createdAt smalldatetime = '2024-03-01T10:15:00';
DECLARE @number nvarchar(50) = N'P1033SE00';

SELECT TOP(@p) [a].[Arendenr]
FROM [dbo].[ARENDE_1] AS [a]
WHERE [a].[Skapatdat] >= @createdAt AND ([a].[Skapatdat] > @createdAt OR [a].[Arendenr] > @number)
ORDER BY [a].[Arendenr]
