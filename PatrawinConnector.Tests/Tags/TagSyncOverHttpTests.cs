using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tags;

/// <summary>tag-sync through the real Connect API client against an HTTP stand-in that misbehaves: the run fails visibly and the cursor stays.</summary>
public sealed class TagSyncOverHttpTests
{
    private static readonly Func<HttpResponseMessage>[] Faults =
    [
        () => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("""{"message": "boom"}""") },
        () => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromMinutes(5)) } },
        () => new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("""{"message": "bad key"}""") },
        () => new HttpResponseMessage(HttpStatusCode.PaymentRequired) { Content = new StringContent("""{"message": "tag plan limit"}""") },
        () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("not json at all") },
        () => throw new HttpRequestException("connection refused"),
    ];

    [TestCase(0, WiseTimeErrorCategory.Transient)]
    [TestCase(1, WiseTimeErrorCategory.RateLimited)]
    [TestCase(2, WiseTimeErrorCategory.Auth)]
    [TestCase(3, WiseTimeErrorCategory.Permanent)]
    [TestCase(4, WiseTimeErrorCategory.Transient)]
    [TestCase(5, WiseTimeErrorCategory.Transient)]
    public async Task RunAsync_WiseTimeMisbehaves_FailsWithCategoryAndCursorStays(int fault, WiseTimeErrorCategory category)
    {
        await using var harness = await DomainHarness.StartAsync(configure: o => o.TagUpsertBatchSize = 4);
        var expected = await harness.Patrawin.ExpectedNewCasesAsync();
        var clients = await harness.Patrawin.ExpectedNewClientsAsync();
        var batches = 0;
        // The case batches after the second misbehave; the clients' drain, which runs beside it, is answered normally.
        var handler = new StubHandler((_, body) => !IsCaseBatch(body, expected) || Interlocked.Increment(ref batches) <= 2
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") }
            : Faults[fault]());

        var error = Assert.ThrowsAsync<WiseTimeApiException>(() => RunAsync(harness, handler));

        Assert.That(error!.Category, Is.EqualTo(category));
        var store = harness.Services.GetRequiredService<SyncCursorStore>();
        var cursor = await store.FindAsync(SyncCursor.CaseSync, CancellationToken.None);
        Assert.That(cursor!.Number, Is.EqualTo(expected[7]), "the two accepted batches of four, and not one row more");
        Assert.That((await store.FindAsync(SyncCursor.ClientSync, CancellationToken.None))!.Number, Is.EqualTo(clients[^1]),
            "the clients' drain does not depend on the cases'");
    }

    private static bool IsCaseBatch(string body, List<string> cases)
    {
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return cases.Contains(json.RootElement.GetProperty("tags")[0].GetProperty("name").GetString()!);
    }

    [Test]
    public async Task RunAsync_WiseTimeAnswersSlowly_EveryBatchSentOnceWithTheKey()
    {
        await using var harness = await DomainHarness.StartAsync(configure: o => o.TagUpsertBatchSize = 2);
        var handler = new SlowHandler();

        await RunAsync(harness, handler);

        var cases = (await harness.Patrawin.ExpectedNewCasesAsync()).Count;
        var clients = (await harness.Patrawin.ExpectedNewClientsAsync()).Count;
        Assert.That(handler.Requests, Has.Count.EqualTo((cases + 1) / 2 + (clients + 1) / 2));
        Assert.That(handler.Keys, Has.All.EqualTo("key"));
    }

    /// <summary>Answers every request after a few milliseconds, so that batches overlap.</summary>
    private sealed class SlowHandler : HttpMessageHandler
    {
        public System.Collections.Concurrent.ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();
        public System.Collections.Concurrent.ConcurrentQueue<string> Keys { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            Keys.Enqueue(request.Headers.GetValues("x-api-key").Single());
            await Task.Delay(5, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }

    private static async Task RunAsync(DomainHarness harness, HttpMessageHandler handler)
    {
        var options = new WiseTimeOptions { ApiKey = "key", BaseUrl = "https://wisetime.test/connect/api", MaxRetries = 1 };
        var pipeline = WiseTimeResilience.Create(options, NullLogger.Instance, TimeSpan.FromMilliseconds(1));
        var http = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = handler }) { BaseAddress = options.BaseUri };
        http.DefaultRequestHeaders.Add(WiseTimeHttpClient.ApiKeyHeader, options.ApiKey);
        var sync = new TagSyncService(
            harness.Services.GetRequiredService<IServiceScopeFactory>(),
            harness.Services.GetRequiredService<SyncCursorStore>(),
            new WiseTimeHttpClient(http, NullLogger<WiseTimeHttpClient>.Instance),
            harness.Services.GetRequiredService<IOptions<TagOptions>>(),
            NullLogger<TagSyncService>.Instance);
        await sync.RunAsync(CancellationToken.None);
    }
}
