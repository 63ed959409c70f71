using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// Per-call resilience of the Kimai and CiviCRM clients (external-hours.md e.4): 30 s per attempt, up to 3 attempts on
/// a connect error, a timeout, 408, 429, 502, 503 or 504 with 1 s, 2 s, 4 s and jitter, Retry-After honoured up to 60 s.
/// 400, 401, 403, 404, 405 and 500 (CiviCRM's API errors) are answered at once. A request marked
/// <see cref="NotIdempotent"/> (CiviCRM's creates) is sent once: the next run finds what a lost answer stored (ADR-009).
/// No circuit breaker: a run that fails is the breaker, and the job runs again on its interval.
/// </summary>
public static class ExternalHoursResilience
{
    public static readonly HttpRequestOptionsKey<bool> NotIdempotent = new("PatrawinConnector.NotIdempotent");

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The whole call, attempts, waits and reading the body included (HttpClient.Timeout): the pipeline times each attempt
    /// only until the headers arrive, and a connection that stalls in the body must not hold the job forever.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(5);

    public static ResiliencePipeline<HttpResponseMessage> Create(string service, ILogger logger, TimeSpan? baseDelay = null, TimeSpan? attemptTimeout = null) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(!IsNotIdempotent(args.Context) && ShouldRetry(args.Outcome)),
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay ?? TimeSpan.FromSeconds(1),
                DelayGenerator = args => ValueTask.FromResult(WiseTimeResilience.RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    logger.LogInformation("Retrying a {Service} call in {Delay} (retry {Retry}) after {Cause}",
                        service, args.RetryDelay, args.AttemptNumber + 1, WiseTimeResilience.Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(attemptTimeout ?? AttemptTimeout)
            .Build();

    private static bool IsNotIdempotent(ResilienceContext context) =>
        context.Properties.TryGetValue(WiseTimeResilience.RequestKey, out var request) && request.Options.TryGetValue(NotIdempotent, out var once) && once;

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => (WiseTimeResilience.RetryAfter(outcome.Result) ?? TimeSpan.Zero) <= MaxRetryAfter,
        _ => false,
    };
}
