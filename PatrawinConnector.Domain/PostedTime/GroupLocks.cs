namespace PatrawinConnector.Domain.PostedTime;

/// <summary>
/// One lock per time group id, so that two deliveries of the same group never post at the same time: the second
/// waits for the first and then finds it in the ledger. Locks exist only while someone holds or awaits them.
/// </summary>
public sealed class GroupLocks
{
    private readonly Dictionary<string, Entry> _locks = new(StringComparer.Ordinal);

    public async ValueTask<IDisposable> AcquireAsync(string groupId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_locks)
        {
            if (!_locks.TryGetValue(groupId, out entry!))
            {
                entry = new Entry();
                _locks[groupId] = entry;
            }
            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(groupId, entry, release: false);
            throw;
        }
        return new Holder(this, groupId, entry);
    }

    /// <summary>Number of groups currently locked or awaited (for tests and the dashboard).</summary>
    public int Count
    {
        get
        {
            lock (_locks)
            {
                return _locks.Count;
            }
        }
    }

    private void Leave(string groupId, Entry entry, bool release)
    {
        if (release)
        {
            entry.Semaphore.Release();
        }
        lock (_locks)
        {
            if (--entry.Users == 0)
            {
                _locks.Remove(groupId);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
        public int Users { get; set; }
    }

    private sealed class Holder(GroupLocks owner, string groupId, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(groupId, entry, release: true);
            }
        }
    }
}
