-- TEST STAND-IN ONLY: a T-SQL pw_PostTime written from the contract at the end of patrawin-schema.sql, so that the
-- TDS tests can drive the connector's real SqlClient path. Patrawin ships its own procedure; the connector never
-- creates or alters anything in a Patrawin database. Same checks, same order, same return codes, same row.
CREATE PROCEDURE dbo.pw_PostTime
    @case_or_client_id       nvarchar(50),
    @username_or_email       nvarchar(50),
    @activity_code           int,
    @narrative               nvarchar(max),
    @narrative_internal_note nvarchar(max),
    @start_time              datetimeoffset,
    @total_time_secs         bigint,
    @chargeable_time_secs    bigint
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @case nvarchar(50) = NULL;
    DECLARE @client nvarchar(7) = NULL;
    DECLARE @credit_type int = NULL;
    DECLARE @user_id int = NULL;

    -- 1. a case with a billing client (Part = 1, Kundtyp = 2) whose credit level exists, else a client
    SELECT TOP (1) @case = link.Arendenr, @client = client.Kundnr, @credit_type = credit.[Type]
    FROM dbo.KUND_ARENDE_25 AS link
    JOIN dbo.KUND_24 AS client ON client.Kundnr = link.Kundnr
    JOIN dbo.CREDIT_LEVEL_334 AS credit ON credit.Creditcode = client.Kreditjn
    WHERE link.Arendenr = @case_or_client_id AND link.Part = 1 AND link.Kundtyp = 2
    ORDER BY link.Id;

    IF @client IS NULL
        SELECT @client = client.Kundnr, @credit_type = credit.[Type]
        FROM dbo.KUND_24 AS client
        JOIN dbo.CREDIT_LEVEL_334 AS credit ON credit.Creditcode = client.Kreditjn
        WHERE client.Kundnr = @case_or_client_id;

    IF @client IS NULL RETURN -1;          -- CASE_OR_CLIENT_ID_NOT_FOUND

    -- 2. blocked client
    IF @credit_type = 2 RETURN -2;         -- CLIENT_BLOCKED

    -- 3. an active user by username, else by e-mail
    SELECT TOP (1) @user_id = Id
    FROM dbo.BEHORIG_50
    WHERE (Username = @username_or_email OR Email = @username_or_email) AND Isactive = 1
    ORDER BY CASE WHEN Username = @username_or_email THEN 0 ELSE 1 END, Id;

    IF @user_id IS NULL RETURN -3;         -- USER_NOT_FOUND_OR_INACTIVE

    -- 4. an active activity code
    IF NOT EXISTS (SELECT 1 FROM dbo.FAKTURATEXTNR_15 WHERE Fakturatextnr = @activity_code AND Inaktiv = 0)
        RETURN -4;                         -- ACTIVITY_CODE_NOT_FOUND_OR_INACTIVE

    INSERT INTO dbo.PENDING_TIME_335 (User_Id, Arendenr, Kundnr, StartTimeUtc, Minutes, Fakturatextnr, [Text], Imported, ImportStatus)
    VALUES (@user_id, @case, @client, CONVERT(datetime2(7), SWITCHOFFSET(@start_time, '+00:00')),
            CAST(@chargeable_time_secs / 60 AS int), @activity_code, @narrative, NULL, 0);

    RETURN CAST(SCOPE_IDENTITY() AS int);
END
