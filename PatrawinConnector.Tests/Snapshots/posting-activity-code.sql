DECLARE @code smallint = CAST(120 AS smallint);

SELECT [f].[Fakturatextnr], [f].[Beskrivning], [f].[Inaktiv]
FROM [dbo].[FAKTURATEXTNR_15] AS [f]
WHERE [f].[Fakturatextnr] = @code
