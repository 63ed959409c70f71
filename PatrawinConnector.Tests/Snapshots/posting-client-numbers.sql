DECLARE @tags1 nvarchar(4000) = N'P1033SE00';
DECLARE @tags2 nvarchar(7) = N'C10045';

SELECT [k].[Kundnr]
FROM [dbo].[KUND_24] AS [k]
WHERE [k].[Kundnr] IN (@tags1, @tags2)
