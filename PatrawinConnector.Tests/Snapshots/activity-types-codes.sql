DECLARE @language nvarchar(1) = N'E';

SELECT [f].[Fakturatextnr], [f0].[Fakturatext]
FROM [dbo].[FAKTURATEXTNR_15] AS [f]
INNER JOIN [dbo].[FAKTURATEXT_16] AS [f0] ON [f].[Fakturatextnr] = [f0].[Fakturatextnr]
WHERE [f0].[Sprakkod] = @language AND [f].[Inaktiv] = 0 AND [f].[Fakturatextnr] > CAST(9 AS smallint) AND [f].[Fakturatextnr] <> CAST(9998 AS smallint)
ORDER BY [f].[Fakturatextnr], [f0].[Id]
