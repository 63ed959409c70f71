DECLARE @author nvarchar(6) = N'JSM';
DECLARE @author0 nvarchar(255) = N'JSM';
DECLARE @tag nvarchar(50) = N'P1033SE00';
DECLARE @tag0 nvarchar(4000) = N'P1033SE00';
DECLARE @start datetime2 = '2024-03-14T06:10:00.0000000Z';
DECLARE @minutes int = 23;
DECLARE @code smallint = CAST(120 AS smallint);
DECLARE @narrative nvarchar(4000) = N'text';

SELECT [p].[Id]
FROM [dbo].[PENDING_TIME_335] AS [p]
WHERE EXISTS (
    SELECT 1
    FROM [dbo].[BEHORIG_50] AS [b]
    WHERE [b].[Id] = [p].[User_Id] AND (UPPER([b].[Username]) = @author OR ([b].[Email] IS NOT NULL AND UPPER([b].[Email]) = @author0))) AND ([p].[Arendenr] = @tag OR ([p].[Arendenr] IS NULL AND [p].[Kundnr] = @tag0)) AND [p].[StartTimeUtc] = @start AND [p].[Minutes] = @minutes AND [p].[Fakturatextnr] = @code AND [p].[Text] = @narrative
