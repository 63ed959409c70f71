using System.Collections.Concurrent;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>What one external-hours-sync run did.</summary>
public sealed class ExternalHoursRunSummary
{
    private int _created, _updated, _unchanged, _deleted, _running, _unmapped, _waiting;
    /// <summary>Another run was in progress: this one did nothing.</summary>
    public bool Skipped { get; init; }
    public int Fetched { get; set; }
    public int Created => _created;
    public int Updated => _updated;
    public int Unchanged => _unchanged;
    public int Deleted => _deleted;
    public int Running => _running;
    public int Unmapped => _unmapped;
    /// <summary>Parked entries seen again unchanged before their back-off ended.</summary>
    public int Waiting => _waiting;
    public ConcurrentBag<int> Failed { get; } = [];
    public ConcurrentQueue<string> Warnings { get; } = new();

    public void Count(ApplyResult result)
    {
        _ = result switch
        {
            ApplyResult.Created => Interlocked.Increment(ref _created),
            ApplyResult.Updated => Interlocked.Increment(ref _updated),
            ApplyResult.Unchanged => Interlocked.Increment(ref _unchanged),
            ApplyResult.Deleted => Interlocked.Increment(ref _deleted),
            ApplyResult.Running => Interlocked.Increment(ref _running),
            ApplyResult.Waiting => Interlocked.Increment(ref _waiting),
            _ => Interlocked.Increment(ref _unmapped),
        };
    }

    public override string ToString() => Skipped ? "skipped: another run was in progress" :
        $"fetched {Fetched}: {Created} created, {Updated} updated, {Unchanged} unchanged, {Deleted} deleted, {Running} running, {Unmapped} unmapped, {Failed.Count} failed" +
        (Failed.IsEmpty ? "" : $" (Kimai entries {string.Join(", ", Failed.Order())})") +
        (Waiting == 0 ? "" : $", {Waiting} waiting to be retried") +
        (Warnings.IsEmpty ? "" : "; " + string.Join("; ", Warnings));
}

public enum ApplyResult
{
    Created,
    Updated,
    Unchanged,
    Deleted,
    Running,
    Unmapped,
    Waiting,
}
