using System.Threading.Channels;
using PatrawinConnector.Domain.ExternalHours;

namespace PatrawinConnector.Tests.ExternalHours;

public sealed class LedgerWriterTests
{
    [Test]
    public async Task Complete_ManyChanges_AllWrittenInBatchesOfAtMostAHundred()
    {
        var batches = new List<int[]>();
        var writer = new LedgerWriter(batch =>
        {
            batches.Add([.. batch.Select(c => c.KimaiTimesheetId)]);
            return Task.Delay(5);   // a transaction takes a while: changes pile up meanwhile
        });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await writer.AddAsync(new LedgerChange(worker * 1000 + i, _ => { }), CancellationToken.None);
            }
        })));
        await writer.CompleteAsync();

        Assert.That(batches.SelectMany(b => b).ToList(), Is.Unique.And.Count.EqualTo(1000));
        Assert.That(batches.Max(b => b.Length), Is.LessThanOrEqualTo(LedgerWriter.BatchSize));
        Assert.That(batches, Has.Count.LessThan(1000), "changes that waited were written together");
    }

    [Test]
    public async Task Write_Fails_ProducersStopAndCompleteRethrows()
    {
        var writer = new LedgerWriter(_ => throw new IOException("disk full"));

        await writer.AddAsync(new LedgerChange(1, _ => { }), CancellationToken.None);
        var closed = Assert.CatchAsync(async () =>
        {
            for (var i = 2; i < 10_000; i++)
            {
                await writer.AddAsync(new LedgerChange(i, _ => { }), CancellationToken.None);
            }
        });

        Assert.That(closed, Is.InstanceOf<ChannelClosedException>().With.InnerException.Message.EqualTo("disk full"));
        Assert.That(writer.CompleteAsync, Throws.InstanceOf<IOException>());
    }
}
