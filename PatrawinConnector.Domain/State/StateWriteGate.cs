namespace PatrawinConnector.Domain.State;

/// <summary>One holder at a time, awaited rather than blocked on; each purpose is its own singleton subclass.</summary>
public abstract class AsyncGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask<Releaser> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Releaser(_gate);
    }

    /// <summary>Enters only when nobody holds the gate.</summary>
    public bool TryEnter(out Releaser releaser)
    {
        releaser = new Releaser(_gate);
        return _gate.Wait(0);
    }

    public void Dispose()
    {
        _gate.Dispose();
        GC.SuppressFinalize(this);
    }

    public readonly struct Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}

/// <summary>
/// Serialises writes to the state database. SQLite has one writer at a time; queueing here is cheaper and fairer
/// than SQLITE_BUSY retries, and it keeps the p99 of the webhook flat under load.
/// </summary>
public sealed class StateWriteGate : AsyncGate;
