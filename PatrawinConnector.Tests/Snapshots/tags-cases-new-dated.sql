DECLARE @createdAt smalldatetime = '2024-03-01T10:15:00';
DECLARE @number nvarchar(50) = N'P1033SE00';
DECLARE @min smalldatetime = '1900-01-01T00:00:00';

SELECT [a].[Arendenr], [a].[Slagord], [a].[Skapatdat]
FROM [dbo].[ARENDE_1] AS [a]
WHERE [a].[Skapatdat] >= @createdAt AND ([a].[Skapatdat] > @createdAt OR [a].[Arendenr] > @number) AND [a].[Arendenr] IN (
    SELECT [k].[Arendenr]
    FROM [dbo].[KUND_ARENDE_25] AS [k]
    WHERE [k].[Kundnr] IN (
        SELECT [k0].[Kundnr]
        FROM [dbo].[KUND_24] AS [k0]
        WHERE [k0].[Kreditjn] IN (
            SELECT [c].[Creditcode]
            FROM [dbo].[CREDIT_LEVEL_334] AS [c]
            WHERE [c].[Type] <> 2
        )
    )
)
ORDER BY CASE
    WHEN [a].[Skapatdat] IS NULL OR [a].[Skapatdat] <= @min THEN @min
    ELSE [a].[Skapatdat]
END, [a].[Arendenr]
