using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.WiseTime;

/// <summary>The Connect API client through its real Polly pipeline (1 ms backoff) against a scripted HTTP stand-in.</summary>
public sealed class WiseTimeResilienceTests
{
    [Test]
    public async Task Call_TwoServerErrorsThenOk_RetriedToSuccess()
    {
        var handler = Script(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK);

        await Client(handler).TagDeleteAsync("x", CancellationToken.None);

        Assert.That(handler.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public void Call_ServerErrorsBeyondRetries_TransientFailure()
    {
        var handler = Script(Enumerable.Repeat(HttpStatusCode.InternalServerError, 10).ToArray());

        var error = Assert.ThrowsAsync<WiseTimeApiException>(() => Client(handler, maxRetries: 2).TagDeleteAsync("x", CancellationToken.None));

        Assert.That(error!.Category, Is.EqualTo(WiseTimeErrorCategory.Transient));
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
    }

    [TestCase(HttpStatusCode.BadRequest, WiseTimeErrorCategory.Permanent)]
    [TestCase(HttpStatusCode.Unauthorized, WiseTimeErrorCategory.Auth)]
    [TestCase(HttpStatusCode.Forbidden, WiseTimeErrorCategory.Auth)]
    [TestCase(HttpStatusCode.PaymentRequired, WiseTimeErrorCategory.Permanent)]
    [TestCase(HttpStatusCode.Conflict, WiseTimeErrorCategory.Config)]
    public void Call_ClientError_NotRetried(HttpStatusCode status, WiseTimeErrorCategory category)
    {
        var handler = Script(status, HttpStatusCode.OK);

        var error = Assert.ThrowsAsync<WiseTimeApiException>(() => Client(handler).GetTeamInfoAsync(CancellationToken.None));

        Assert.That(error!.Category, Is.EqualTo(category));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Call_RateLimitedWithShortRetryAfter_WaitsAndRetries()
    {
        var calls = 0;
        var handler = new StubHandler((_, _) => Interlocked.Increment(ref calls) == 1
            ? new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromMilliseconds(300)) } }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        var started = DateTime.UtcNow;

        await Client(handler).TagDeleteAsync("x", CancellationToken.None);

        Assert.That(handler.Requests, Has.Count.EqualTo(2));
        Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)), "Retry-After was honoured");
    }

    [Test]
    public void Call_RateLimitedWithLongRetryAfter_NotRetriedNow()
    {
        var handler = new StubHandler((_, _) =>
            new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromMinutes(10)) } });

        var error = Assert.ThrowsAsync<WiseTimeApiException>(() => Client(handler).TagDeleteAsync("x", CancellationToken.None));

        Assert.That(error!.Category, Is.EqualTo(WiseTimeErrorCategory.RateLimited));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void Call_ServerErrorWithLongRetryAfter_NotRetriedNow()
    {
        var handler = new StubHandler((_, _) =>
            new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new(TimeSpan.FromHours(1)) } });

        Assert.ThrowsAsync<WiseTimeApiException>(() => Client(handler).TagDeleteAsync("x", CancellationToken.None));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ActivityTypeSyncComplete_AnswerLostThenNotFoundOnRetry_CountsAsCompleted()
    {
        var calls = 0;
        var handler = new StubHandler((_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException("connection reset after the request was sent")
            : new HttpResponseMessage(HttpStatusCode.NotFound));

        await Client(handler).ActivityTypeSyncCompleteAsync(new("s-1"), CancellationToken.None);

        Assert.That(calls, Is.EqualTo(2));
    }

    [Test]
    public void ActivityTypeSyncComplete_NotFoundAtFirstAttempt_Fails()
    {
        var handler = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.NotFound));

        Assert.ThrowsAsync<WiseTimeApiException>(() => Client(handler).ActivityTypeSyncCompleteAsync(new("s-1"), CancellationToken.None));
    }

    [Test]
    public async Task Call_NetworkFaultsThenOk_RetriedToSuccess()
    {
        var calls = 0;
        var handler = new StubHandler((_, _) => Interlocked.Increment(ref calls) <= 2
            ? throw new HttpRequestException("connection refused")
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });

        await Client(handler).TagDeleteAsync("x", CancellationToken.None);

        Assert.That(calls, Is.EqualTo(3));
    }

    [Test]
    public void Call_WiseTimeTooSlow_TimesOutAsTransient()
    {
        var handler = new SlowHandler(TimeSpan.FromSeconds(5));

        var error = Assert.ThrowsAsync<WiseTimeApiException>(() => Client(handler, maxRetries: 1, timeoutSeconds: 1).TagDeleteAsync("x", CancellationToken.None));

        Assert.That(error!.Category, Is.EqualTo(WiseTimeErrorCategory.Transient));
        Assert.That(error.Message, Does.Contain("did not answer in time"));
        Assert.That(handler.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Call_WiseTimeKeepsFailing_CircuitOpensAndCallsStopReachingIt()
    {
        var handler = Script(Enumerable.Repeat(HttpStatusCode.InternalServerError, 100).ToArray());
        var client = Client(handler, maxRetries: 0);

        var errors = new List<WiseTimeApiException>();
        for (var i = 0; i < 15; i++)
        {
            try
            {
                await client.TagDeleteAsync("x", CancellationToken.None);
            }
            catch (WiseTimeApiException e)
            {
                errors.Add(e);
            }
        }

        Assert.That(errors, Has.Count.EqualTo(15));
        Assert.That(errors.Last().Message, Does.Contain("paused after repeated failures"));
        Assert.That(handler.Requests, Has.Count.LessThan(15));
    }

    [Test]
    public void Call_GarbageAnswer_TransientFailure()
    {
        var handler = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy error</html>") });

        var error = Assert.ThrowsAsync<WiseTimeApiException>(() => Client(handler).GetTeamInfoAsync(CancellationToken.None));

        Assert.That(error!.IsTransient, Is.True);
    }

    [Test]
    public async Task BatchTagUpsert_BadRequestWithItemErrors_ErrorsReturned()
    {
        var handler = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"errors": [{"index": 1, "errorDescription": "Tag name too long"}]}"""),
        });

        var response = await Client(handler).BatchTagUpsertAsync([new() { Name = "a" }, new() { Name = "b" }], CancellationToken.None);

        Assert.That(response.Errors, Is.EqualTo(new[] { new Domain.WiseTime.Contracts.ErrorItem(1, "Tag name too long") }));
    }

    private static StubHandler Script(params HttpStatusCode[] statuses)
    {
        var next = -1;
        return new StubHandler((_, _) => new HttpResponseMessage(statuses[Math.Min(Interlocked.Increment(ref next), statuses.Length - 1)])
        {
            Content = new StringContent("""{"message": "scripted"}"""),
        });
    }

    private static WiseTimeHttpClient Client(HttpMessageHandler handler, int maxRetries = 3, int timeoutSeconds = 30)
    {
        var options = new WiseTimeOptions { ApiKey = "key", BaseUrl = "https://wisetime.test/connect/api", MaxRetries = maxRetries, TimeoutSeconds = timeoutSeconds };
        var pipeline = WiseTimeResilience.Create(options, NullLogger.Instance, baseDelay: TimeSpan.FromMilliseconds(1));
        var http = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = handler }) { BaseAddress = options.BaseUri };
        return new WiseTimeHttpClient(http, NullLogger<WiseTimeHttpClient>.Instance);
    }

    private sealed class SlowHandler(TimeSpan delay) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(delay, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
