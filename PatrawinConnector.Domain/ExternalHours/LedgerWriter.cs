using System.Threading.Channels;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>One change to one ledger row (the row is made when it does not exist yet).</summary>
public sealed record LedgerChange(int KimaiTimesheetId, Action<ExternalHoursEntry> Change);

/// <summary>
/// Queues ledger changes from many workers and hands them to <c>write</c> up to <see cref="BatchSize"/> at a time, from
/// one task: SQLite has one writer, so a hundred rows per transaction beat a transaction per row. A failed write closes the
/// queue, so producers stop instead of waiting on a writer that is gone; <see cref="CompleteAsync"/> writes what is queued
/// and rethrows that failure.
/// </summary>
public sealed class LedgerWriter
{
    public const int BatchSize = 100;

    private readonly Channel<LedgerChange> _queue = Channel.CreateBounded<LedgerChange>(new BoundedChannelOptions(4 * BatchSize) { SingleReader = true });
    private readonly Task _writer;

    public LedgerWriter(Func<IReadOnlyList<LedgerChange>, Task> write) => _writer = Task.Run(() => DrainAsync(write));

    public ValueTask AddAsync(LedgerChange change, CancellationToken ct) => _queue.Writer.WriteAsync(change, ct);

    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task DrainAsync(Func<IReadOnlyList<LedgerChange>, Task> write)
    {
        try
        {
            var batch = new List<LedgerChange>(BatchSize);
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var change))
                {
                    batch.Add(change);
                }
                await write(batch);
                batch.Clear();
            }
        }
        catch (Exception e)
        {
            _queue.Writer.TryComplete(e);
            throw;
        }
    }
}
