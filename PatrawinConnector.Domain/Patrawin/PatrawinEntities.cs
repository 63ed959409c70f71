namespace PatrawinConnector.Domain.Patrawin;

// Read models of the Patrawin tables the connector uses. Only the columns it reads are mapped;
// Patrawin's names appear only in Configurations/.

/// <summary>A case or a client: what the tag jobs' keyset order (created, number) reads.</summary>
public interface IKeysetRow
{
    string Number { get; }
    DateTime? CreatedAt { get; }
}

/// <summary>A case (ARENDE_1).</summary>
public sealed class PatrawinCase : IKeysetRow
{
    public required string Number { get; init; }
    public string? Catchword { get; init; }
    public DateTime? CreatedAt { get; init; }
}

/// <summary>A client (KUND_24).</summary>
public sealed class PatrawinClient : IKeysetRow
{
    public required string Number { get; init; }
    public required string ShortName { get; init; }
    public DateTime? CreatedAt { get; init; }
    public string? CreditCode { get; init; }
    public int? InactiveFlag { get; init; }
}

/// <summary>A link between a client and a case (KUND_ARENDE_25).</summary>
public sealed class CaseClientLink
{
    public int Id { get; init; }
    public required string CaseNumber { get; init; }
    public required string ClientNumber { get; init; }
    public short ClientType { get; init; }
    public short Part { get; init; }
}

/// <summary>A credit level (CREDIT_LEVEL_334); <see cref="BlockedType"/> marks a blocked client.</summary>
public sealed class CreditLevel
{
    public const int BlockedType = 2;

    public required string Code { get; init; }
    public string? Description { get; init; }
    public int Type { get; init; }
}

/// <summary>A Patrawin user (BEHORIG_50).</summary>
public sealed class PatrawinUser
{
    public int Id { get; init; }
    public required string Username { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public bool IsActive { get; init; }
}

/// <summary>An activity (service) code (FAKTURATEXTNR_15). Active only when <see cref="Inactive"/> is 0.</summary>
public sealed class ActivityCode
{
    public short Code { get; init; }
    public int? Inactive { get; init; }
    public string? Description { get; init; }
}

/// <summary>A row of the time inbox that pw_PostTime writes to (PENDING_TIME_335).</summary>
public sealed class PendingTime
{
    public int Id { get; init; }
    public int UserId { get; init; }
    public string? CaseNumber { get; init; }
    public required string ClientNumber { get; init; }
    public DateTime StartTimeUtc { get; init; }
    public int Minutes { get; init; }
    public short ActivityCode { get; init; }
    public string? Text { get; init; }
    public DateTime? Imported { get; init; }
    public int ImportStatus { get; init; }
    public DateTime Created { get; init; }
}

/// <summary>An activity code's label in one language (FAKTURATEXT_16).</summary>
public sealed class ActivityCodeLabel
{
    public int Id { get; init; }
    public short Code { get; init; }
    public required string LanguageCode { get; init; }
    public string? Label { get; init; }
}

/// <summary>Company information (FORETAGINFO_56); its screen language picks the activity code labels.</summary>
public sealed class CompanyInfo
{
    public string? ScreenLanguage { get; init; }
}

/// <summary>A system parameter (PARAMETER_149).</summary>
public sealed class SystemParameter
{
    public required string Section { get; init; }
    public required string Name { get; init; }
    public string? Value { get; init; }
}
