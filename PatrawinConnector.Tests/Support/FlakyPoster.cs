using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Tests.Support;

/// <summary>Wraps a real poster (SQLite or SQL Server) to fail before or after it commits.</summary>
public sealed class FlakyPoster
{
    public enum Mode
    {
        None,
        ThrowBeforePosting,
        ThrowAfterPosting,
        CrashAfterPosting,
    }

    public Mode Fault { get; set; }

    public IPatrawinTimePoster Wrap(IPatrawinTimePoster inner) => new Wrapper(this, inner);

    private sealed class Wrapper(FlakyPoster owner, IPatrawinTimePoster inner) : IPatrawinTimePoster
    {
        public async Task<PostTimeResult> PostAsync(IReadOnlyList<TimeEntry> entries, CancellationToken cancellationToken)
        {
            if (owner.Fault == Mode.ThrowBeforePosting)
            {
                throw new TimeoutException("Patrawin did not answer");
            }
            var result = await inner.PostAsync(entries, cancellationToken);
            return owner.Fault switch
            {
                Mode.ThrowAfterPosting => throw new IOException("connection reset while reading the commit's answer"),
                Mode.CrashAfterPosting => throw new InvalidProgramException("the process died here"),
                _ => result,
            };
        }
    }
}
