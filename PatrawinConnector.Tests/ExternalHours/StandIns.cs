using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>Kimai 2's REST API as external-hours.md c describes it: filters, id order, header paging, 404 for deleted entries.</summary>
public sealed class KimaiStandIn(Func<DateTime> now) : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly Dictionary<int, (JsonObject Entry, DateTime ModifiedAt, DateTime BeginLocal)> _entries = [];

    public List<JsonObject> Projects { get; } = [];
    public bool Down { get; set; }
    /// <summary>Entries the API user may not read: <c>GET /api/timesheets/{id}</c> answers 403.</summary>
    public HashSet<int> Forbidden { get; } = [];
    /// <summary>How many of the next requests get a 503 with <c>Retry-After: 0</c> (a proxy restarting).</summary>
    public int BusyAnswers { get; set; }
    public int Requests { get; private set; }

    public void Put(int id, string begin, string? end, long duration, int project, string? description = null)
    {
        lock (_gate)
        {
            _entries[id] = (new JsonObject
            {
                ["id"] = id, ["begin"] = begin, ["end"] = end, ["duration"] = duration, ["break"] = 0,
                ["description"] = description, ["project"] = project, ["activity"] = 1, ["user"] = 2,
            }, now(), TimeZoneInfo.ConvertTime(DateTimeOffset.ParseExact(begin, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), Zone).DateTime);
        }
    }

    public void Delete(int id)
    {
        lock (_gate)
        {
            _entries.Remove(id);
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Requests++;
            if (Down)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>proxy</html>") });
            }
            if (BusyAnswers > 0)
            {
                BusyAnswers--;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new(TimeSpan.Zero) } });
            }
            var path = request.RequestUri!.AbsolutePath;
            var query = HttpUtility.ParseQueryString(request.RequestUri.Query);
            if (path.EndsWith("/users/me", StringComparison.Ordinal))
            {
                return Json("""{"id": 1, "username": "civisync", "timezone": "Europe/Berlin", "roles": ["ROLE_SUPER_ADMIN"]}""");
            }
            if (path.EndsWith("/projects", StringComparison.Ordinal))
            {
                return Json(new JsonArray([.. Projects.Select(p => p.DeepClone())]).ToJsonString());
            }
            if (path.Contains("/timesheets/", StringComparison.Ordinal))
            {
                var id = int.Parse(path.Split('/')[^1], CultureInfo.InvariantCulture);
                if (Forbidden.Contains(id))
                {
                    return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("""{"code": 403, "message": "Access denied."}""") });
                }
                return _entries.TryGetValue(id, out var one) ? Json(one.Entry.ToJsonString()) : Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }

            IEnumerable<(JsonObject Entry, DateTime ModifiedAt, DateTime BeginLocal)> matching = _entries.Values;
            if (query["modified_after"] is { } modified)
            {
                var after = DateTime.ParseExact(modified, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
                matching = matching.Where(e => e.ModifiedAt >= after);
            }
            if (query["begin"] is { } begin)
            {
                var from = DateTime.ParseExact(begin, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
                matching = matching.Where(e => e.BeginLocal >= from);
            }
            if (query["project"] is { } project)
            {
                matching = matching.Where(e => e.Entry["project"]!.GetValue<int>() == int.Parse(project, CultureInfo.InvariantCulture));
            }
            var all = matching.OrderBy(e => e.Entry["id"]!.GetValue<int>()).Select(e => e.Entry).ToList();   // Kimai's orderBy=id
            var size = int.Parse(query["size"] ?? "50", CultureInfo.InvariantCulture);
            var page = int.Parse(query["page"] ?? "1", CultureInfo.InvariantCulture);
            var pages = Math.Max(1, (all.Count + size - 1) / size);
            if (page > pages)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }
            var response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(new JsonArray([.. all.Skip((page - 1) * size).Take(size).Select(e => e.DeepClone())]).ToJsonString()),
            };
            response.Headers.Add("X-Total-Count", all.Count.ToString(CultureInfo.InvariantCulture));
            response.Headers.Add("X-Total-Pages", pages.ToString(CultureInfo.InvariantCulture));
            return Task.FromResult(response);
        }
    }

    private static Task<HttpResponseMessage> Json(string json) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json) });
}

/// <summary>CiviCRM APIv4 over REST as external-hours.md d describes it, for the calls the sync makes.</summary>
public sealed class CiviCrmStandIn : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private int _nextId = 9000;

    private readonly Dictionary<int, JsonObject> _activities = [];
    private readonly Dictionary<string, int> _bySubject = [];   // the subject is the sync's idempotency key: looked up before every create

    public IReadOnlyDictionary<int, JsonObject> Activities => _activities;
    public Dictionary<int, string> Organisations { get; } = new() { [202] = "Acme Ltd", [203] = "Globex AG" };
    public List<string> Writes { get; } = [];
    /// <summary>The number of subjects each idempotency look-up (<c>Activity.get</c>) asked for.</summary>
    public List<int> Lookups { get; } = [];
    public bool Down { get; set; }
    /// <summary>Creates of this subject fail with an API error (HTTP 500 JSON).</summary>
    public string? RefuseSubject { get; set; }
    /// <summary>Creates of this subject never reach CiviCRM (a connection reset): an infrastructure failure.</summary>
    public string? UnreachableForSubject { get; set; }
    /// <summary>
    /// The next call of this action (<c>create</c> or <c>update</c>) dies: before CiviCRM stores anything, or after it stored
    /// the change but before the answer leaves (a timeout, a reset connection, the connector killed mid-call).
    /// </summary>
    public (string Action, bool AfterStoring)? CrashNext { get; set; }
    public int? ActivityTypeValue { get; private set; }
    /// <summary>The CiviCRM extension's tables (external-hours.md a.2): project links and its ledger, entry → activity.</summary>
    public List<(int ProjectId, int ContactId)> ProjectContacts { get; } = [];
    public List<(int EntryId, int ActivityId)> EntryActivities { get; } = [];
    /// <summary>Deletes of this activity fail with an API error (HTTP 500 JSON).</summary>
    public int? RefuseDeleteOf { get; set; }
    /// <summary>Runs once, before the next <c>Activity</c> write is processed: what happens elsewhere meanwhile.</summary>
    public Func<Task>? BeforeNextWrite { get; set; }
    /// <summary>Time an <c>Activity.create</c> takes before CiviCRM stores it (a busy database).</summary>
    public TimeSpan CreateLatency { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = HttpUtility.ParseQueryString(await request.Content!.ReadAsStringAsync(cancellationToken));
        var parameters = JsonNode.Parse(form["params"]!)!.AsObject();
        var segments = request.RequestUri!.AbsolutePath.Split('/');
        var (entity, action) = (segments[^2], segments[^1]);
        if (entity == "Activity" && action is "create" or "update" or "delete" && BeforeNextWrite is { } meanwhile)
        {
            BeforeNextWrite = null;
            await meanwhile();
        }
        if (entity == "Activity" && action == "create" && CreateLatency > TimeSpan.Zero)
        {
            await Task.Delay(CreateLatency, cancellationToken);
        }
        lock (_gate)
        {
            if (Down)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("""{"status_code": 503, "status_message": "Temporarily unavailable for maintenance."}""") };
            }
            if (!request.Headers.TryGetValues("X-Civi-Auth", out var auth) || auth.Single() != "Bearer civi-key")
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("HTTP 401 Invalid credential") };
            }
            switch (entity, action)
            {
                case ("OptionValue", "get"):
                    return Values(ActivityTypeValue is { } v && parameters.ToJsonString().Contains("exthours_servicehours", StringComparison.Ordinal)
                        ? [new JsonObject { ["id"] = 700, ["value"] = v.ToString(CultureInfo.InvariantCulture), ["name"] = "exthours_servicehours" }] : []);
                case ("OptionValue", "create"):
                    ActivityTypeValue = 58;
                    Writes.Add("OptionValue.create");
                    return Values([new JsonObject { ["id"] = 700, ["value"] = "58" }]);
                case ("Contact", "get"):
                    var where = parameters["where"]!.AsArray();
                    var byId = where.FirstOrDefault(w => w![0]!.GetValue<string>() == "id")?[2]?.GetValue<int>();
                    var like = where.FirstOrDefault(w => w![0]!.GetValue<string>() == "display_name")?[2]?.GetValue<string>().Trim('%');
                    return Values([.. Organisations
                        .Where(o => (byId is null || o.Key == byId) && (like is null || o.Value.Contains(like, StringComparison.OrdinalIgnoreCase)))
                        .Select(o => new JsonObject { ["id"] = o.Key, ["display_name"] = o.Value })]);
                case ("ProjectContact", "get"):
                    return Values([.. Page(parameters, ProjectContacts.Select((l, i) => new JsonObject { ["id"] = i + 1, ["external_id"] = l.ProjectId, ["contact_id"] = l.ContactId }))]);
                case ("EntryActivity", "get"):
                    return Values([.. Page(parameters, EntryActivities.Select((l, i) => new JsonObject { ["id"] = i + 1, ["external_id"] = l.EntryId, ["activity_id"] = l.ActivityId }))]);
                case ("Activity", "create") when CrashesBeforeStoring("create"):
                case ("Activity", "update") when CrashesBeforeStoring("update"):
                    throw new HttpRequestException("connection reset before the request reached CiviCRM");
                case ("Activity", "create") when parameters["values"]!["subject"]!.GetValue<string>() == UnreachableForSubject:
                    throw new HttpRequestException("connection reset before the request reached CiviCRM");
                case ("Activity", "create"):
                    var values = parameters["values"]!.AsObject();
                    if (values["subject"]!.GetValue<string>() == RefuseSubject)
                    {
                        return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("""{"error_code": "1", "error_message": "DB Error: constraint violation", "status": 500}""") };
                    }
                    var id = ++_nextId;
                    _activities[id] = (JsonObject)values.DeepClone();
                    _bySubject[values["subject"]!.GetValue<string>()] = id;
                    Writes.Add($"Activity.create {id}");
                    CrashIfAfterStoring("create");
                    return Values([new JsonObject { ["id"] = id }]);
                case ("Activity", "update"):
                {
                    var target = parameters["where"]![0]![2]!.GetValue<int>();
                    if (!_activities.TryGetValue(target, out var activity))
                    {
                        return Values([]);
                    }
                    if (parameters["values"]!["subject"] is { } subject)
                    {
                        if (activity["subject"] is { } before)
                        {
                            _bySubject.Remove(before.GetValue<string>());
                        }
                        _bySubject[subject.GetValue<string>()] = target;
                    }
                    foreach (var (key, value) in parameters["values"]!.AsObject())
                    {
                        activity[key] = value?.DeepClone();
                    }
                    Writes.Add($"Activity.update {target}");
                    CrashIfAfterStoring("update");
                    return Values([new JsonObject { ["id"] = target }]);
                }
                case ("Activity", "delete") when parameters["where"]![0]![2]!.GetValue<int>() == RefuseDeleteOf:
                    return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("""{"error_code": "1", "error_message": "DB Error: deadlock found", "status": 500}""") };
                case ("Activity", "delete"):
                {
                    var target = parameters["where"]![0]![2]!.GetValue<int>();
                    Writes.Add($"Activity.delete {target}");
                    if (!_activities.Remove(target, out var removed))
                    {
                        return Values([]);
                    }
                    if (removed["subject"] is { } gone)
                    {
                        _bySubject.Remove(gone.GetValue<string>());
                    }
                    return Values([new JsonObject { ["id"] = target }]);
                }
                case ("Activity", "get"):
                {
                    var type = parameters["where"]!.AsArray().Single(w => w![0]!.GetValue<string>() == "activity_type_id")![2]!.GetValue<int>();
                    var condition = parameters["where"]!.AsArray().Single(w => w![0]!.GetValue<string>() == "subject")!;
                    string[] subjects = condition[1]!.GetValue<string>() switch
                    {
                        "=" => [condition[2]!.GetValue<string>()],
                        "IN" => [.. condition[2]!.AsArray().Select(v => v!.GetValue<string>())],
                        var op => throw new NotSupportedException($"subject {op}"),
                    };
                    Lookups.Add(subjects.Length);
                    return Values([.. subjects.Where(_bySubject.ContainsKey).Select(subject => (Id: _bySubject[subject], Subject: subject))
                        .Where(a => _activities[a.Id]["activity_type_id"]!.GetValue<int>() == type).OrderBy(a => a.Id)
                        .Select(a => new JsonObject { ["id"] = a.Id, ["subject"] = a.Subject })]);
                }
                default:
                    return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent($$"""{"error_code": "1", "error_message": "unknown {{entity}}.{{action}}"}""") };
            }
        }
    }

    private bool CrashesBeforeStoring(string action)
    {
        if (CrashNext is not { AfterStoring: false } crash || crash.Action != action)
        {
            return false;
        }
        CrashNext = null;
        return true;
    }

    private void CrashIfAfterStoring(string action)
    {
        if (CrashNext is { AfterStoring: true } crash && crash.Action == action)
        {
            CrashNext = null;
            throw new HttpRequestException($"connection reset after CiviCRM stored the {action}");
        }
    }

    /// <summary>An activity the CiviCRM extension made: no subject (a.4).</summary>
    public int AddExtensionActivity(JsonObject values)
    {
        lock (_gate)
        {
            var id = ++_nextId;
            _activities[id] = values;
            return id;
        }
    }

    private static IEnumerable<JsonObject> Page(JsonObject parameters, IEnumerable<JsonObject> rows) =>
        rows.Skip(parameters["offset"]?.GetValue<int>() ?? 0).Take(parameters["limit"]?.GetValue<int>() is > 0 and var limit ? limit : int.MaxValue);

    /// <summary>An administrator deletes the activity in CiviCRM's UI.</summary>
    public void Remove(int activityId)
    {
        lock (_gate)
        {
            if (_activities.Remove(activityId, out var removed))
            {
                _bySubject.Remove(removed["subject"]?.GetValue<string>() ?? string.Empty);
            }
        }
    }

    public JsonObject ActivityFor(int kimaiId) => Activities.Values.Single(a => a["subject"]?.GetValue<string>() == $"Kimai timesheet #{kimaiId}");

    private static HttpResponseMessage Values(JsonNode[] values) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(new JsonObject { ["values"] = new JsonArray(values), ["count"] = values.Length }.ToJsonString()),
    };
}
