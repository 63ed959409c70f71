DECLARE @upper nvarchar(4000) = N'JANE.SMITH@EXAMPLE.COM';
DECLARE @upper0 nvarchar(255) = N'JANE.SMITH@EXAMPLE.COM';

SELECT [b].[Isactive]
FROM [dbo].[BEHORIG_50] AS [b]
WHERE UPPER([b].[Username]) = @upper OR ([b].[Email] IS NOT NULL AND UPPER([b].[Email]) = @upper0)
