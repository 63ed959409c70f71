using System.Collections.Concurrent;
using Hangfire.Storage;

namespace PatrawinConnector.Api.Jobs;

/// <summary>
/// "Only one holder" locks that never wait: a run of a job, or a tick of the interval scheduler, either gets the lock
/// at once or is skipped. Two implementations, chosen once in composition by JOB_STORE.
/// </summary>
public interface IJobRunLocks
{
    /// <summary>The held lock, or null when someone holds it already.</summary>
    IDisposable? TryAcquire(IStorageConnection connection, string resource);
}

/// <summary>
/// JOB_STORE=SQLITE: one connector process per DATA_DIR (DataDirLock refuses a second), so a lock in this process is a
/// lock for the whole store. It also keeps clear of Hangfire.Storage.SQLite's distributed-lock heartbeat (ADR-012).
/// </summary>
public sealed class ProcessJobRunLocks : IJobRunLocks, IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public IDisposable? TryAcquire(IStorageConnection connection, string resource)
    {
        var gate = _locks.GetOrAdd(resource, _ => new SemaphoreSlim(1, 1));
        return gate.Wait(0) ? new Held(gate) : null;
    }

    public void Dispose()
    {
        foreach (var gate in _locks.Values)
        {
            gate.Dispose();
        }
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

/// <summary>
/// JOB_STORE=SQL_SERVER: several replicas share the store, so the lock is Hangfire.SqlServer's distributed lock
/// (sp_getapplock on the caller's connection, held as long as that connection lives), taken with a zero timeout:
/// never the wait-then-fail of DisableConcurrentExecution. The process lock in front spares the server a round trip.
/// </summary>
public sealed class StorageJobRunLocks(ProcessJobRunLocks process) : IJobRunLocks
{
    public IDisposable? TryAcquire(IStorageConnection connection, string resource)
    {
        var local = process.TryAcquire(connection, resource);
        if (local is null)
        {
            return null;
        }
        try
        {
            var shared = connection.AcquireDistributedLock($"patrawin:{resource}", TimeSpan.Zero);
            return new Both(shared, local);
        }
        catch (DistributedLockTimeoutException)
        {
            local.Dispose();
            return null;
        }
    }

    private sealed class Both(IDisposable shared, IDisposable local) : IDisposable
    {
        public void Dispose()
        {
            shared.Dispose();
            local.Dispose();
        }
    }
}
