using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>
/// Kimai 1 with kimai1_civicrm as external-hours.md b describes it: JSON-RPC 2.0 on <c>core/json.php</c> (stock) and
/// <c>core/civicrm.php</c> (the queue), a service map on GET, every value wrapped as <c>result: {success, items, total}</c>
/// or <c>result: {success: false, error: {msg}}</c>, MySQL values as strings. The queue follows b.4 step by step,
/// known gaps included: <c>modified</c> has no default, so a row inserted after priming is never queued until edited,
/// and the strict <c>&gt;</c> on one-second stamps misses an edit made in the same second as the newest queued row.
/// Stock methods called on civicrm.php answer "Unknown user" (the subclass never sets the parent's private backend).
/// </summary>
public sealed class KimaiV1StandIn(Func<DateTime> now) : HttpMessageHandler
{
    public const string ApiKey = "3f2a9c41d07b6e58a1c2d3e4f";
    public const string User = "civisync";
    public const string Password = "s3cret";
    private const string UnknownUser = "Unknown user or no permissions.";

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Row> _rows = [];
    private readonly Dictionary<int, DateTime?> _ever = [];
    private readonly List<QueueRow> _queue = [];
    private readonly Dictionary<int, QueueRow> _queueById = [];

    public List<JsonObject> Projects { get; } = [];
    public bool Primed { get; private set; }
    public bool Down { get; set; }
    /// <summary>How many of the next requests get a 503 with <c>Retry-After: 0</c> (a proxy restarting).</summary>
    public int BusyAnswers { get; set; }
    /// <summary>Calls by method name, in order.</summary>
    public List<string> Calls { get; } = [];
    /// <summary>The next confirmQueueMessage: true = stored, then the connection drops; false = dropped before it arrives.</summary>
    public bool? LoseNextConfirm { get; set; }
    /// <summary>A queue row the queue itself got wrong (an action this version does not know).</summary>
    public string? CorruptNextMessageAction { get; set; }

    public int Unconfirmed
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count(q => q.Confirmed is null);
            }
        }
    }

    /// <summary>A timesheet row written by Kimai: before priming there is no <c>modified</c>; after it, the column has no default (NULL).</summary>
    public void Insert(int id, string begin, string? end, int project, string? comment = null, string? description = null, int? duration = null)
    {
        lock (_gate)
        {
            var start = DateTimeOffset.ParseExact(begin, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            var stop = end is null ? 0 : DateTimeOffset.ParseExact(end, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            _rows[id] = new Row(id, start, stop, duration ?? (int)(stop == 0 ? 0 : stop - start), project, comment, description, Modified: null);
        }
    }

    /// <summary>An edit in Kimai: ON UPDATE CURRENT_TIMESTAMP stamps the row (once primed).</summary>
    public void Edit(int id, Func<Row, Row> change)
    {
        lock (_gate)
        {
            _rows[id] = change(_rows[id]) with { Modified = Primed ? Now() : null };
        }
    }

    public void Delete(int id)
    {
        lock (_gate)
        {
            _rows.Remove(id);
        }
    }

    public sealed record Row(int Id, long Start, long End, int Duration, int Project, string? Comment, string? Description, DateTime? Modified);

    private sealed record QueueRow(int Id, string Action, int TimeEntryId, Row? Snapshot, DateTime Modified)
    {
        public DateTime? Confirmed { get; set; }
    }

    private int _nextQueueId = 56;

    private DateTime Now()
    {
        var t = now();
        return new DateTime(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);   // MySQL TIMESTAMP: whole seconds
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = request.RequestUri!.AbsolutePath.Split('/')[^1];
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_gate)
        {
            if (Down)
            {
                return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html><body>502 Bad Gateway</body></html>") };
            }
            if (BusyAnswers > 0)
            {
                BusyAnswers--;
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new(TimeSpan.Zero) } };
            }
            if (endpoint is not ("json.php" or "civicrm.php"))
            {
                return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<html>404 Not Found</html>") };
            }
            if (request.Method == HttpMethod.Get)
            {
                return Answer(ServiceMap(endpoint));
            }
            var call = JsonNode.Parse(body)!.AsObject();
            var method = call["method"]!.GetValue<string>();
            var parameters = call["params"];
            Calls.Add(method);
            if (method == "confirmQueueMessage" && LoseNextConfirm == false)
            {
                LoseNextConfirm = null;
                throw new HttpRequestException("connection reset before the confirmation reached Kimai");
            }
            var result = (endpoint, method) switch
            {
                ("json.php", "authenticate") => Param(parameters, 0, "username") == User && Param(parameters, 1, "password") == Password
                    ? Success(new JsonArray(new JsonObject { ["apiKey"] = ApiKey }))
                    : Failure(UnknownUser),
                ("json.php", _) when Param(parameters, 0, "apiKey") != ApiKey => Failure(UnknownUser),
                ("json.php", "getProjects") => Projects.Count > 0 ? Success(new JsonArray([.. Projects.Select(p => p.DeepClone())])) : Failure(null),
                ("json.php", "getTimesheetRecord") => TimesheetRecord(int.Parse(Param(parameters, 1, "id") ?? "0", CultureInfo.InvariantCulture)),
                ("civicrm.php", "authenticate" or "getProjects" or "getTimesheetRecord" or "getTimesheet") => Failure(UnknownUser),
                ("civicrm.php", _) when Param(parameters, 0, "apiKey") != ApiKey => Failure(UnknownUser),
                ("civicrm.php", "primeUpdates") => Success(Prime()),
                ("civicrm.php", "getUpdates") when !Primed => null,
                ("civicrm.php", "getUpdates") => Success(new JsonObject { ["queued_data"] = GetUpdates(int.Parse(Param(parameters, 1, "limit") ?? "25", CultureInfo.InvariantCulture)) }),
                ("civicrm.php", "confirmQueueMessage") => Confirm(int.Parse(Param(parameters, 1, "messageId")!, CultureInfo.InvariantCulture)),
                ("civicrm.php", "getActivities") => Success(new JsonArray(new JsonObject { ["activityID"] = "1", ["name"] = "Maintenance" })),
                _ => new JsonObject { ["__rpcError"] = true },
            };
            if (result is null)
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<br />\n<b>Fatal error</b>: Table 'kimai.kimai_civicrm_queue' doesn't exist") };
            }
            if (result["__rpcError"] is not null)
            {
                return Answer(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = call["id"]?.DeepClone(), ["error"] = new JsonObject { ["code"] = -32601, ["message"] = "Method not found" } });
            }
            if (method == "confirmQueueMessage" && LoseNextConfirm == true)
            {
                LoseNextConfirm = null;
                throw new HttpRequestException("connection reset after Kimai stored the confirmation");
            }
            return Answer(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = call["id"]?.DeepClone(), ["result"] = result });
        }
    }

    /// <summary>b.3: the column, the ever-table and the queue; adding the column stamps every existing row (the first getUpdates then queues the whole history).</summary>
    private JsonObject Prime()
    {
        if (Primed)
        {
            return new JsonObject { ["kimai_timeSheet"] = "modified already exists", ["kimai_civicrm_timesheet_ever"] = "already exists", ["kimai_civicrm_queue"] = "already exists" };
        }
        Primed = true;
        var stamp = Now();
        foreach (var id in _rows.Keys.ToList())
        {
            _rows[id] = _rows[id] with { Modified = stamp };
        }
        return new JsonObject { ["kimai_timeSheet"] = "added column modified", ["kimai_civicrm_timesheet_ever"] = "created", ["kimai_civicrm_queue"] = "created" };
    }

    /// <summary>b.4, steps 1 to 6.</summary>
    private JsonArray GetUpdates(int limit)
    {
        foreach (var id in _rows.Keys)
        {
            _ever.TryAdd(id, null);                                                          // 1
        }
        var cutoff = _queue.Count == 0 ? DateTime.MinValue : _queue.Max(q => q.Modified);    // 2
        var stamp = Now();
        foreach (var id in _ever.Keys.Where(id => !_rows.ContainsKey(id) && _ever[id] is null).ToList())
        {
            _ever[id] = stamp;                                                               // 3
        }
        foreach (var row in _rows.Values.Where(r => r.Modified > cutoff).OrderBy(r => r.Id))
        {
            var action = CorruptNextMessageAction ?? "update";
            CorruptNextMessageAction = null;
            Enqueue(new QueueRow(++_nextQueueId, action, row.Id, row, row.Modified!.Value));       // 4
        }
        foreach (var (id, deleted) in _ever.Where(e => e.Value > cutoff).OrderBy(e => e.Key))
        {
            Enqueue(new QueueRow(++_nextQueueId, "delete", id, null, deleted!.Value));        // 5
        }
        return [.. _queue.Where(q => q.Confirmed is null).OrderByDescending(q => q.Modified).ThenByDescending(q => q.Id).Take(limit).Select(QueueJson)];   // 6
    }

    private void Enqueue(QueueRow message)
    {
        _queue.Add(message);
        _queueById[message.Id] = message;
    }

    private JsonObject Confirm(int id)
    {
        if (!_queueById.TryGetValue(id, out var message))
        {
            return Failure("ERROR: Invalid ID");
        }
        message.Confirmed = Now();
        return Success(new JsonObject { ["confirm"] = $"civicrm_queue.confirmed updated for id {id}" });
    }

    private JsonObject TimesheetRecord(int id) =>
        id == 0 ? Failure("Invalid ID") : _rows.TryGetValue(id, out var row) ? Success(new JsonArray(RowJson(row))) : Failure(null);

    private static JsonObject QueueJson(QueueRow q)
    {
        var json = q.Snapshot is { } row ? RowJson(row) : RowJson(new Row(q.TimeEntryId, 0, 0, 0, 0, null, null, null));
        json["id"] = q.Id.ToString(CultureInfo.InvariantCulture);
        json["confirmed"] = q.Confirmed?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        json["action"] = q.Action;
        json["modified"] = q.Modified.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (q.Snapshot is null)
        {
            json["userID"] = null;
            json["projectID"] = null;
            json["activityID"] = null;
        }
        return json;
    }

    private static JsonObject RowJson(Row row) => new()
    {
        ["timeEntryID"] = S(row.Id), ["start"] = S(row.Start), ["end"] = S(row.End), ["duration"] = S(row.Duration),
        ["userID"] = "339614352", ["projectID"] = S(row.Project), ["activityID"] = "1", ["description"] = row.Description,
        ["comment"] = row.Comment, ["commentType"] = "0", ["cleared"] = "0", ["location"] = "", ["trackingNumber"] = null,
        ["rate"] = "0.00", ["fixedRate"] = null, ["budget"] = null, ["approved"] = null, ["statusID"] = "1", ["billable"] = "0",
        ["modified"] = row.Modified?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
    };

    private static string S(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Param(JsonNode? parameters, int position, string name) => parameters switch
    {
        JsonArray list => list.Count > position ? list[position]?.ToString() : null,
        JsonObject named => named[name]?.ToString(),
        _ => null,
    };

    private static JsonObject Success(JsonNode items) => new()
    {
        ["success"] = true, ["items"] = items, ["total"] = items is JsonArray a ? a.Count : items.AsObject().Count,
    };

    private static JsonObject Failure(string? msg) => new() { ["success"] = false, ["error"] = new JsonObject { ["msg"] = msg ?? "An unhandled error occured." } };

    private static JsonObject ServiceMap(string endpoint)
    {
        string[] methods = endpoint == "civicrm.php"
            ? ["primeUpdates", "getUpdates", "confirmQueueMessage", "getActivities"]
            : ["authenticate", "getProjects", "getTimesheet", "getTimesheetRecord"];
        var services = new JsonObject();
        foreach (var method in methods)
        {
            services[method] = new JsonObject { ["envelope"] = "JSON-RPC-2.0", ["transport"] = "POST", ["parameters"] = new JsonArray(), ["returns"] = "array" };
        }
        return new JsonObject
        {
            ["transport"] = "POST", ["envelope"] = "JSON-RPC-2.0", ["contentType"] = "application/json", ["SMDVersion"] = "2.0",
            ["target"] = $"/core/{endpoint}", ["services"] = services,
        };
    }

    private static HttpResponseMessage Answer(JsonObject json) =>
        new(HttpStatusCode.OK) { Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json") };
}
