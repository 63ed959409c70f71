namespace PatrawinConnector.Domain.Tags;

public enum TagKind
{
    Case,
    Client,
}

/// <summary>A case or client as the tag jobs read it, in keyset order.</summary>
/// <param name="Number">Arendenr or Kundnr: the tag's name.</param>
/// <param name="Description">Slagord or Kortnamnkund: the tag's description.</param>
/// <param name="CreatedAt">Skapatdat; null sorts as 1900-01-01.</param>
/// <param name="Blocked">The client, or any client of the case, has a credit level of type 2.</param>
/// <param name="SharesNumberWithCase">A client whose number is also a case number (one tag namespace in WiseTime).</param>
public sealed record TagRow(string Number, string? Description, DateTime? CreatedAt, bool Blocked = false, bool SharesNumberWithCase = false)
{
    public KeysetPosition Position => new(CreatedAt ?? KeysetPosition.MinCreated, Number);
}

/// <summary>
/// A place in Patrawin's (created, number) order, where a NULL creation date counts as 1900-01-01 (the smallest
/// smalldatetime), as the Java connector's COALESCE did. <see cref="Start"/> is before every row.
/// </summary>
public readonly record struct KeysetPosition(DateTime CreatedAt, string? Number)
{
    public static readonly DateTime MinCreated = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static KeysetPosition Start => new(MinCreated, null);

    public bool IsStart => Number is null;

    /// <summary>Still among the rows without a date (or dated 1900-01-01 or earlier), which come first.</summary>
    public bool InUndatedSegment => CreatedAt <= MinCreated;
}
