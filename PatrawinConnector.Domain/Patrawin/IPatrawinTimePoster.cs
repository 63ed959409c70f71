namespace PatrawinConnector.Domain.Patrawin;

/// <summary>One pw_PostTime call.</summary>
public sealed record TimeEntry(
    string CaseOrClientNumber,
    string Author,
    int ActivityCode,
    string Narrative,
    DateTimeOffset StartTime,
    long WorkedSeconds,
    long ChargeableSeconds);

/// <summary>pw_PostTime's documented refusals (its negative return values).</summary>
public enum PostTimeRefusal
{
    CaseOrClientNotFound = -1,
    ClientBlocked = -2,
    UserNotFoundOrInactive = -3,
    ActivityCodeNotFoundOrInactive = -4,
}

/// <summary>The result of posting a group's entries: all inserted, or none because one was refused.</summary>
public abstract record PostTimeResult
{
    private PostTimeResult()
    {
    }

    /// <summary>Every entry was inserted; the new PENDING_TIME_335 ids, in entry order.</summary>
    public sealed record Inserted(IReadOnlyList<int> PendingTimeIds) : PostTimeResult;

    /// <summary>pw_PostTime refused the entry at <paramref name="Index"/>; the transaction was rolled back.</summary>
    public sealed record Refused(int Index, PostTimeRefusal Reason) : PostTimeResult;
}

/// <summary>pw_PostTime returned a value its contract does not define (0 or below -4): treated as transient.</summary>
public sealed class UnexpectedPostTimeResultException(int returnValue)
    : Exception($"pw_PostTime returned {returnValue}, which its contract does not define.")
{
    public int ReturnValue { get; } = returnValue;
}

/// <summary>Patrawin could not be reached, or the connection broke: transient.</summary>
public sealed class PatrawinUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Patrawin's only write: pw_PostTime, once per entry, all entries in one transaction (all or nothing).
/// Database faults (connection, timeout) surface as exceptions; the caller treats them as transient.
/// </summary>
public interface IPatrawinTimePoster
{
    Task<PostTimeResult> PostAsync(IReadOnlyList<TimeEntry> entries, CancellationToken cancellationToken);
}
