using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Api.PostedTime;

/// <summary>
/// RECEIVE_POSTED_TIME=LONG_POLL: registers as fetch client, then fetches and posts in a loop. Nothing fetched: poll
/// again after a short pause (WiseTime already held the call up to 60 s). WiseTime down: back off from 10 s to a minute,
/// with jitter. On shutdown the group being posted is finished; the rest is offered again by WiseTime.
/// </summary>
public sealed class LongPollReceiver(
    PostedTimeFetcher fetcher,
    LongPollState state,
    IOptions<PostedTimeOptions> options,
    ILogger<LongPollReceiver> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    /// <summary>Pauses between cycles; tests shorten them.</summary>
    public TimeSpan IdlePause { get; init; } = TimeSpan.FromMilliseconds(750);
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ReceivePostedTime != ReceivePostedTimeMode.LongPoll)
        {
            return;
        }

        var backoff = FirstBackoff;
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan pause;
            try
            {
                if (!registered)
                {
                    await fetcher.RegisterAsync(stoppingToken);
                    registered = true;
                }
                var fetched = await fetcher.RunCycleAsync(stoppingToken);
                backoff = FirstBackoff;
                pause = fetched == 0 ? IdlePause : TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (WiseTimeApiException e)
            {
                var hint = e.StatusCode == System.Net.HttpStatusCode.Conflict
                    ? " WiseTime has a webhook registered for this team: unsubscribe it, or set RECEIVE_POSTED_TIME=WEBHOOK."
                    : string.Empty;
                state.CycleFailed(e.Message + hint);
                logger.LogWarning("Fetching posted time failed ({Category}); trying again in {Backoff}: {Reason}{Hint}", e.Category, backoff, e.Message, hint);
                pause = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
            catch (Exception e)
            {
                state.CycleFailed(e.Message);
                logger.LogError(e, "The long-poll loop failed; trying again in {Backoff}", backoff);
                pause = backoff;
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, pause.TotalMilliseconds / 10))), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }
}
