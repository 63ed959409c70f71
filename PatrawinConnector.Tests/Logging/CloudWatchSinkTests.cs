using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using PatrawinConnector.Api.Logging;
using Serilog.Events;
using Serilog.Parsing;

namespace PatrawinConnector.Tests.Logging;

public sealed class CloudWatchSinkTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    [Test]
    public async Task Flush_NewGroup_GroupAndStreamCreatedThenEventsPutSignedAndSorted()
    {
        var cloudWatch = new CloudWatchStandIn();
        using var sink = Sink(cloudWatch);
        sink.Emit(Event("second", 2000));
        sink.Emit(Event("first", 1000));

        await sink.FlushAsync(CancellationToken.None);

        Assert.That(cloudWatch.Actions, Is.EqualTo(new[] { "CreateLogStream", "CreateLogGroup", "CreateLogStream", "PutLogEvents" }));
        Assert.That(cloudWatch.Groups, Is.EqualTo(new[] { "connector-test" }));
        Assert.That(cloudWatch.Events.Select(e => e.Message), Has.Exactly(1).Contains("\"RenderedMessage\":\"first\"").And.Exactly(1).Contains("second"));
        Assert.That(cloudWatch.Events.Select(e => e.Timestamp), Is.Ordered);
        Assert.That(cloudWatch.BadSignatures, Is.Zero);
        Assert.That(sink.StreamName, Does.Match(@"^\d{8}_\d{4}/[0-9a-f-]{36}$"));
    }

    [Test]
    public async Task Flush_GroupAndStreamAlreadyThere_StillDelivers()
    {
        var cloudWatch = new CloudWatchStandIn();
        cloudWatch.Groups.Add("connector-test");
        using var sink = Sink(cloudWatch);
        sink.Emit(Event("hello", 1000));

        await sink.FlushAsync(CancellationToken.None);

        Assert.That(cloudWatch.Events, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Flush_GroupExistsAndPolicyDeniesCreateLogGroup_StillDelivers()
    {
        var cloudWatch = new CloudWatchStandIn { DenyCreateGroup = true };
        cloudWatch.Groups.Add("connector-test");
        using var sink = Sink(cloudWatch);
        sink.Emit(Event("hello", 1000));

        await sink.FlushAsync(CancellationToken.None);

        Assert.That(cloudWatch.Actions, Does.Not.Contain("CreateLogGroup"));
        Assert.That(cloudWatch.Events, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Flush_CloudWatchUnreachable_EventsCountedAsDroppedAndLaterEventsStillShipped()
    {
        var cloudWatch = new CloudWatchStandIn { Unreachable = true };
        using var sink = Sink(cloudWatch);
        sink.Emit(Event("lost", 1000));

        await sink.FlushAsync(CancellationToken.None);
        cloudWatch.Unreachable = false;
        sink.Emit(Event("later", 2000));
        await sink.FlushAsync(CancellationToken.None);

        Assert.That(sink.Dropped, Is.EqualTo(1));
        Assert.That(cloudWatch.Events.Select(e => e.Message), Has.Some.Contains("later").And.Some.Contains("dropped 1 events"));
    }

    [Test]
    public async Task Flush_ThrottledTwice_RetriedAndDeliveredOnce()
    {
        var cloudWatch = new CloudWatchStandIn { FailPuts = 2 };
        using var sink = Sink(cloudWatch);
        sink.Emit(Event("hello", 1000));

        await sink.FlushAsync(CancellationToken.None);

        Assert.That(cloudWatch.Events, Has.Count.EqualTo(1));
        Assert.That(cloudWatch.Actions.Count(a => a == "PutLogEvents"), Is.EqualTo(3));
        Assert.That(sink.Dropped, Is.Zero);
    }

    [Test]
    public async Task Flush_CloudWatchDownForGood_BatchDroppedAndCounted()
    {
        var cloudWatch = new CloudWatchStandIn { FailPuts = 100 };
        using var sink = Sink(cloudWatch);
        sink.Emit(Event("a", 1000));
        sink.Emit(Event("b", 1001));

        await sink.FlushAsync(CancellationToken.None);

        Assert.That(sink.Dropped, Is.EqualTo(2));
        Assert.That(cloudWatch.Actions.Count(a => a == "PutLogEvents"), Is.EqualTo(4));
    }

    [Test]
    public async Task Emit_QueueFull_NeverBlocksAndCountsDropsThenReportsThem()
    {
        var cloudWatch = new CloudWatchStandIn();
        using var sink = Sink(cloudWatch, capacity: 100);

        var started = DateTime.UtcNow;
        for (var i = 0; i < 150; i++)
        {
            sink.Emit(Event($"event {i}", 1000 + i));
        }
        var elapsed = DateTime.UtcNow - started;
        await sink.FlushAsync(CancellationToken.None);

        Assert.That(sink.Dropped, Is.EqualTo(50));
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(cloudWatch.Events.Last().Message, Does.Contain("dropped 50 events"));
    }

    [Test]
    public void Batches_ManyEvents_AtMostTenThousandPerBatch()
    {
        var events = Enumerable.Range(0, 25_000).Select(i => ((long)i, "x"));

        var batches = CloudWatchSink.Batches(events).ToList();

        Assert.That(batches.Select(b => b.Count), Is.EqualTo(new[] { 10_000, 10_000, 5_000 }));
    }

    [Test]
    public void Batches_LargeEvents_TruncatedAndEachBatchWithinTheByteLimit()
    {
        var events = Enumerable.Range(0, 6).Select(i => ((long)i, new string('é', 200_000)));

        var batches = CloudWatchSink.Batches(events).ToList();

        Assert.That(batches.SelectMany(b => b).Select(e => Encoding.UTF8.GetByteCount(e.Message)), Has.All.LessThanOrEqualTo(CloudWatchSink.MaxEventBytes));
        Assert.That(batches.Select(b => b.Sum(e => Encoding.UTF8.GetByteCount(e.Message) + CloudWatchSink.EventOverheadBytes)),
            Has.All.LessThanOrEqualTo(CloudWatchSink.MaxBatchBytes));
        Assert.That(batches.Sum(b => b.Count), Is.EqualTo(6));
    }

    [Test]
    public void Batches_EventsOverMoreThanADay_SplitByDay()
    {
        var day = (long)TimeSpan.FromHours(24).TotalMilliseconds;
        var batches = CloudWatchSink.Batches([(0L, "a"), (day / 2, "b"), (day + 1, "c")]).ToList();

        Assert.That(batches.Select(b => b.Count), Is.EqualTo(new[] { 2, 1 }));
    }

    [Test]
    public async Task Flush_Requests_NeverCarryTheSecretKey()
    {
        var cloudWatch = new CloudWatchStandIn();
        using var sink = Sink(cloudWatch);
        sink.Emit(Event("hello", 1000));

        await sink.FlushAsync(CancellationToken.None);

        Assert.That(cloudWatch.RawRequests, Has.All.Not.Contains(Secret));
    }

    private static CloudWatchSink Sink(CloudWatchStandIn cloudWatch, int capacity = 10_000) => new(
        new CloudWatchOptions
        {
            AccessKeyId = "AKIDEXAMPLE", SecretAccessKey = Secret, Region = "eu-west-1", LogGroup = "connector-test",
            Endpoint = "https://logs.eu-west-1.amazonaws.com/", QueueCapacity = capacity,
        },
        cloudWatch, flushInterval: TimeSpan.FromHours(1), retryDelay: TimeSpan.FromMilliseconds(1));

    private static LogEvent Event(string message, long milliseconds) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), LogEventLevel.Information, null,
        new MessageTemplateParser().Parse(message), []);

    /// <summary>CloudWatch Logs' JSON protocol for the three calls the sink makes, checking every signature with the shared secret.</summary>
    private sealed class CloudWatchStandIn : HttpMessageHandler
    {
        public List<string> Actions { get; } = [];
        public HashSet<string> Groups { get; } = [];
        public HashSet<string> Streams { get; } = [];
        public ConcurrentQueue<(long Timestamp, string Message)> Events { get; } = new();
        public List<string> RawRequests { get; } = [];
        public int FailPuts { get; set; }
        public bool DenyCreateGroup { get; set; }
        public bool Unreachable { get; set; }
        public int BadSignatures { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Unreachable)
            {
                throw new HttpRequestException("connection refused");
            }
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var action = request.Headers.GetValues("X-Amz-Target").Single().Split('.')[1];
            RawRequests.Add(string.Join('\n', request.Headers.Select(h => $"{h.Key}: {string.Join(',', h.Value)}")) + Encoding.UTF8.GetString(body));
            Actions.Add(action);
            CheckSignature(request, body);
            using var json = JsonDocument.Parse(body);
            var group = json.RootElement.GetProperty("logGroupName").GetString()!;
            switch (action)
            {
                case "CreateLogGroup":
                    if (DenyCreateGroup)
                    {
                        return Error("AccessDeniedException");
                    }
                    return Groups.Add(group) ? Ok() : Error("ResourceAlreadyExistsException");
                case "CreateLogStream":
                    if (!Groups.Contains(group))
                    {
                        return Error("ResourceNotFoundException");
                    }
                    return Streams.Add(group + "|" + json.RootElement.GetProperty("logStreamName").GetString()) ? Ok() : Error("ResourceAlreadyExistsException");
                case "PutLogEvents":
                    if (FailPuts-- > 0)
                    {
                        return Error("ThrottlingException", HttpStatusCode.BadRequest);
                    }
                    if (!Streams.Contains(group + "|" + json.RootElement.GetProperty("logStreamName").GetString()))
                    {
                        return Error("ResourceNotFoundException");
                    }
                    foreach (var e in json.RootElement.GetProperty("logEvents").EnumerateArray())
                    {
                        Events.Enqueue((e.GetProperty("timestamp").GetInt64(), e.GetProperty("message").GetString()!));
                    }
                    return Ok();
                default:
                    return Error("UnknownOperationException");
            }
        }

        private void CheckSignature(HttpRequestMessage request, byte[] body)
        {
            var date = DateTimeOffset.ParseExact(request.Headers.GetValues("X-Amz-Date").Single(), "yyyyMMdd'T'HHmmss'Z'",
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var expected = SigV4.Sign("POST", request.RequestUri!,
                [new("Content-Type", "application/x-amz-json-1.1"), new("X-Amz-Target", request.Headers.GetValues("X-Amz-Target").Single())],
                body, new AwsCredentials("AKIDEXAMPLE", Secret), "eu-west-1", "logs", date).Single(h => h.Key == "Authorization").Value;
            if (request.Headers.GetValues("Authorization").Single() != expected)
            {
                BadSignatures++;
            }
        }

        private static HttpResponseMessage Ok() => new(HttpStatusCode.OK) { Content = new StringContent("{}") };

        private static HttpResponseMessage Error(string type, HttpStatusCode status = HttpStatusCode.BadRequest) =>
            new(status) { Content = new StringContent($$"""{"__type": "com.amazonaws.logs#{{type}}", "message": "{{type}}"}""") };
    }
}
