using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace PatrawinConnector.Api.Logging;

/// <summary>
/// Ships log events to CloudWatch Logs with PutLogEvents over HTTPS, signed with Signature Version 4 (the AWS SDK's
/// CloudWatch package is not in this machine's feed). Events wait in a bounded queue; when it is full, new events are
/// dropped and counted, so logging never blocks the app. A background loop sends batches every few seconds within the
/// API's limits (10,000 events, 1,048,576 bytes counting 26 per event, 256 KiB per event, 24 hours per batch, sorted by
/// time), creates the log group and stream when CloudWatch says they are missing, and retries throttling and server
/// errors with backoff. Its own troubles go to stderr, never back into the log.
/// </summary>
public sealed class CloudWatchSink : ILogEventSink, IDisposable
{
    public const int MaxEventsPerBatch = 10_000;
    public const int MaxBatchBytes = 1_048_576;
    public const int EventOverheadBytes = 26;
    public const int MaxEventBytes = 262_144 - EventOverheadBytes;
    private static readonly TimeSpan MaxBatchSpan = TimeSpan.FromHours(24);

    private readonly Channel<(long Timestamp, string Message)> _queue;
    private readonly HttpClient _http;
    private readonly CloudWatchOptions _options;
    private readonly AwsCredentials _credentials;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _flushInterval;
    private readonly TimeSpan _retryDelay;
    private readonly JsonFormatter _formatter = new(renderMessage: true);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;
    private long _dropped;
    private long _reportedDropped;
    private bool _streamReady;

    public CloudWatchSink(CloudWatchOptions options, HttpMessageHandler? handler = null, TimeProvider? clock = null,
        TimeSpan? flushInterval = null, TimeSpan? retryDelay = null)
    {
        _options = options;
        _credentials = new AwsCredentials(options.AccessKeyId!, options.SecretAccessKey!, string.IsNullOrEmpty(options.SessionToken) ? null : options.SessionToken);
        _clock = clock ?? TimeProvider.System;
        _flushInterval = flushInterval ?? TimeSpan.FromSeconds(5);
        _retryDelay = retryDelay ?? TimeSpan.FromSeconds(1);
        _http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null) { Timeout = TimeSpan.FromSeconds(30) };
        _queue = Channel.CreateBounded<(long, string)>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,   // TryWrite then says "full", and the event is counted as dropped
            SingleReader = true,
        });
        StreamName = $"{_clock.GetUtcNow():yyyyMMdd_HHmm}/{Guid.NewGuid()}";
        _sender = Task.Run(SendLoopAsync);
    }

    public string StreamName { get; }

    /// <summary>Events dropped so far: the queue was full, or CloudWatch refused them for good.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        _formatter.Format(logEvent, text);
        if (!_queue.Writer.TryWrite((logEvent.Timestamp.ToUnixTimeMilliseconds(), text.ToString().TrimEnd())))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Sends what is queued now (also used at shutdown). A batch that cannot be sent is dropped and counted.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var pending = new List<(long Timestamp, string Message)>();
        while (_queue.Reader.TryRead(out var item))
        {
            pending.Add(item);
        }
        ReportDrops(pending);
        foreach (var batch in Batches(pending))
        {
            try
            {
                await SendAsync(batch, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                await Console.Error.WriteLineAsync($"CloudWatch logging: {e.GetType().Name}: {e.Message}; {batch.Count} events dropped");
            }
        }
    }

    private async Task SendLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_flushInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                // Not cancelled by Dispose: a batch being sent is finished (each call has the HttpClient's 30 s timeout).
                await FlushAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                await Console.Error.WriteLineAsync($"CloudWatch logging: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    /// <summary>Sorted by time, then cut at the API's count, size and time-span limits; oversized messages truncated.</summary>
    public static IEnumerable<List<(long Timestamp, string Message)>> Batches(IEnumerable<(long Timestamp, string Message)> events)
    {
        var batch = new List<(long, string)>();
        var bytes = 0;
        long first = 0;
        foreach (var (timestamp, message) in events.OrderBy(e => e.Timestamp))
        {
            var text = Truncate(message);
            var size = Encoding.UTF8.GetByteCount(text) + EventOverheadBytes;
            if (batch.Count > 0 && (batch.Count == MaxEventsPerBatch || bytes + size > MaxBatchBytes || timestamp - first > (long)MaxBatchSpan.TotalMilliseconds))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            if (batch.Count == 0)
            {
                first = timestamp;
            }
            batch.Add((timestamp, text));
            bytes += size;
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static string Truncate(string message)
    {
        if (Encoding.UTF8.GetByteCount(message) <= MaxEventBytes)
        {
            return message;
        }
        var bytes = Encoding.UTF8.GetBytes(message);
        var cut = MaxEventBytes - 3;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--;   // not inside a UTF-8 sequence
        }
        return Encoding.UTF8.GetString(bytes, 0, cut) + "…";
    }

    private void ReportDrops(List<(long Timestamp, string Message)> pending)
    {
        var dropped = Dropped;
        if (dropped > _reportedDropped)
        {
            var line = JsonSerializer.Serialize(new
            {
                Timestamp = _clock.GetUtcNow(),
                Level = "Warning",
                RenderedMessage = $"CloudWatch logging dropped {dropped - _reportedDropped} events ({dropped} in all): the queue was full or CloudWatch refused them",
            });
            pending.Add((_clock.GetUtcNow().ToUnixTimeMilliseconds(), line));
            _reportedDropped = dropped;
        }
    }

    private async Task SendAsync(List<(long Timestamp, string Message)> batch, CancellationToken ct)
    {
        var body = new
        {
            logGroupName = _options.LogGroup,
            logStreamName = StreamName,
            logEvents = batch.Select(e => new { timestamp = e.Timestamp, message = e.Message }),
        };
        for (var attempt = 1; ; attempt++)
        {
            if (!_streamReady)
            {
                await EnsureStreamAsync(ct);
            }
            var (status, error) = await CallAsync("PutLogEvents", body, ct);
            if (status == HttpStatusCode.OK)
            {
                return;
            }
            if (error == "ResourceNotFoundException" && attempt < 4)
            {
                _streamReady = false;   // deleted behind our back: create it again
                continue;
            }
            if (attempt < 4 && (status >= HttpStatusCode.InternalServerError || error is "ThrottlingException" or "ServiceUnavailableException"))
            {
                await Task.Delay(_retryDelay * Math.Pow(2, attempt - 1), ct);
                continue;
            }
            Interlocked.Add(ref _dropped, batch.Count);
            await Console.Error.WriteLineAsync($"CloudWatch logging: PutLogEvents failed ({(int)status} {error}); {batch.Count} events dropped");
            return;
        }
    }

    /// <summary>
    /// Creates the stream, and the group first only when CloudWatch says it is missing: a least-privilege policy often
    /// allows CreateLogStream and PutLogEvents on an existing group, but not CreateLogGroup.
    /// </summary>
    private async Task EnsureStreamAsync(CancellationToken ct)
    {
        var stream = new { logGroupName = _options.LogGroup, logStreamName = StreamName };
        var (status, error) = await CallAsync("CreateLogStream", stream, ct);
        if (error == "ResourceNotFoundException")
        {
            var (groupStatus, groupError) = await CallAsync("CreateLogGroup", new { logGroupName = _options.LogGroup }, ct);
            if (groupStatus != HttpStatusCode.OK && groupError != "ResourceAlreadyExistsException")
            {
                throw new HttpRequestException($"CreateLogGroup failed: {(int)groupStatus} {groupError}");
            }
            (status, error) = await CallAsync("CreateLogStream", stream, ct);
        }
        if (status != HttpStatusCode.OK && error != "ResourceAlreadyExistsException")
        {
            throw new HttpRequestException($"CreateLogStream failed: {(int)status} {error}");
        }
        _streamReady = true;
    }

    private async Task<(HttpStatusCode Status, string? Error)> CallAsync(string action, object body, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(body);
        var uri = _options.EndpointUri;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(json) };
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/x-amz-json-1.1"),
            new("X-Amz-Target", $"Logs_20140328.{action}"),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"Logs_20140328.{action}");
        foreach (var (name, value) in SigV4.Sign("POST", uri, headers, json, _credentials, _options.Region!, "logs", _clock.GetUtcNow()))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
        {
            return (HttpStatusCode.OK, null);
        }
        var text = await response.Content.ReadAsStringAsync(ct);
        string? error = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("__type", out var type))
            {
                error = type.GetString()?.Split('#')[^1];
            }
        }
        catch (JsonException)
        {
            error = null;
        }
        return (response.StatusCode, error);
    }

    public void Dispose()
    {
        _stop.Cancel();   // ends the wait between flushes; a flush under way finishes
        try
        {
            if (_sender.Wait(TimeSpan.FromSeconds(10)))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                FlushAsync(timeout.Token).Wait(TimeSpan.FromSeconds(6));   // what arrived since, alone now
            }
        }
        catch (AggregateException e)
        {
            Console.Error.WriteLine($"CloudWatch logging: the last events could not be sent: {e.InnerException?.Message}");
        }
        _stop.Dispose();
        _http.Dispose();
    }
}
