using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace PatrawinConnector.Domain.WiseTime;

/// <summary>
/// How the Connect API client copes with a flaky network and a busy WiseTime: a timeout per attempt, retries with
/// jittered exponential backoff on 5xx, 408 and network faults, 429 honoured with its Retry-After, and a circuit breaker
/// that stops hammering a WiseTime that keeps failing. Other 4xx are never retried.
/// </summary>
public static class WiseTimeResilience
{
    /// <summary>Set on a long-poll request (WiseTime holds it up to 60 s): it gets <see cref="LongPollTimeout"/> and no retry (the loop backs off).</summary>
    public static readonly HttpRequestOptionsKey<bool> LongPoll = new("PatrawinConnector.LongPoll");

    public static readonly TimeSpan LongPollTimeout = TimeSpan.FromSeconds(90);

    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("PatrawinConnector.Request");

    /// <summary>A 429 or 5xx asking to wait longer than this is not retried in the call; the job tries again on its next run.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);

    public static ResiliencePipeline<HttpResponseMessage> Create(WiseTimeOptions options, ILogger logger, TimeSpan? baseDelay = null)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(!IsLongPoll(args.Context) && ShouldRetry(args.Outcome)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay ?? TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(30),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    logger.LogInformation("Retrying a WiseTime call in {Delay} (attempt {Attempt}) after {Cause}",
                        args.RetryDelay, args.AttemptNumber + 1, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                // 429 means "slow down", not "broken": it does not count towards opening the circuit
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome) && args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests),
                FailureRatio = 0.9,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(60),
                BreakDuration = TimeSpan.FromSeconds(30),
                OnOpened = args =>
                {
                    logger.LogWarning("WiseTime keeps failing; pausing calls for {BreakDuration}", args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(IsLongPoll(args.Context) ? LongPollTimeout : TimeSpan.FromSeconds(options.TimeoutSeconds)),
            })
            .Build();
    }

    private static bool IsLongPoll(ResilienceContext context) =>
        context.Properties.TryGetValue(RequestKey, out var request) && request.Options.TryGetValue(LongPoll, out var longPoll) && longPoll;

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => WiseTimeApiException.Classify(response.StatusCode) switch
        {
            WiseTimeErrorCategory.Transient or WiseTimeErrorCategory.RateLimited => (RetryAfter(response) ?? TimeSpan.Zero) <= MaxRetryAfter,
            _ => false,
        },
        _ => false,
    };

    /// <summary>The wait a 429 or 503 asks for (Retry-After as seconds or as a date), or null to use the backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    internal static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? $"HTTP {(int)outcome.Result!.StatusCode}";
}

/// <summary>Runs each request of an HttpClient through a Polly pipeline (Microsoft.Extensions.Http.Resilience is not available here).</summary>
public sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    /// <summary>How many times the request was sent (1 = no retry), for callers that must tell a retry's answer apart.</summary>
    public static readonly HttpRequestOptionsKey<int> Attempts = new("PatrawinConnector.Attempts");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(WiseTimeResilience.RequestKey, request);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (context, state) =>
                {
                    state.Request.Options.TryGetValue(Attempts, out var sent);
                    state.Request.Options.Set(Attempts, sent + 1);
                    return await state.Handler.BaseSendAsync(state.Request, context.CancellationToken);
                },
                context,
                (Handler: this, Request: request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken ct) => base.SendAsync(request, ct);
}
