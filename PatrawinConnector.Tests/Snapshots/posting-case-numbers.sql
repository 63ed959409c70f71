DECLARE @tags1 nvarchar(50) = N'P1033SE00';
DECLARE @tags2 nvarchar(50) = N'C10045';

SELECT [a].[Arendenr]
FROM [dbo].[ARENDE_1] AS [a]
WHERE [a].[Arendenr] IN (@tags1, @tags2)
