using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>One message of the kimai1_civicrm change queue (external-hours.md b.4): an entry's full row, or a deleted id.</summary>
public sealed record KimaiV1Message(int QueueId, int TimeEntryId, KimaiTimesheet? Entry)
{
    public bool IsDelete => Entry is null;
}

/// <summary>A queue message that could not be read: it is left unconfirmed and named in the run's summary.</summary>
public sealed record KimaiV1BadMessage(string Key, string Problem);

/// <summary>
/// Kimai 1's JSON-RPC 2.0 API (external-hours.md b): the stock <c>{KIMAI_URL}/core/json.php</c> (authenticate,
/// getProjects, getTimesheetRecord) and kimai1_civicrm's <c>core/civicrm.php</c> (primeUpdates, getUpdates,
/// confirmQueueMessage). Every answer wraps its value as <c>result: {success, items, total}</c> or
/// <c>result: {success: false, error: {msg}}</c>; an unknown key is "Unknown user or no permissions.". Transport failures
/// are classified like the Kimai 2 client's (<see cref="ExternalCall"/>, the same resilience pipeline). The API key is
/// sent in the request bodies only and never appears in a message.
/// </summary>
public sealed class KimaiV1Client(HttpClient http, IOptions<ExternalHoursOptions> options)
{
    public const string ServiceName = KimaiClient.ServiceName;
    private const string Stock = "json.php";
    private const string Queue = "civicrm.php";
    private const string UnknownUser = "Unknown user or no permissions.";
    /// <summary>Kimai 1's error text when a method gives none (sic).</summary>
    private const string NoMessage = "An unhandled error occured.";

    private string? _apiKey;

    /// <summary>KIMAI_API_KEY, or the key <c>authenticate</c> gives for KIMAI_API_USER and KIMAI_API_PASSWORD (asked once per client).</summary>
    public async Task<string> ApiKeyAsync(CancellationToken ct)
    {
        if (_apiKey is { } known)
        {
            return known;
        }
        var settings = options.Value;
        if (settings.KimaiApiKey is { Length: > 0 } configured)
        {
            return _apiKey = configured;
        }
        var answer = await CallAsync(Stock, "authenticate", new object?[] { settings.KimaiApiUser, settings.KimaiApiPassword }, ct);
        if (!answer.Success)
        {
            throw new ExternalServiceException(ServiceName, answer.Message == UnknownUser
                ? "authenticate refused KIMAI_API_USER / KIMAI_API_PASSWORD (Unknown user or no permissions.)"
                : $"authenticate failed: {answer.Message}");
        }
        var key = answer.Items.ValueKind == JsonValueKind.Array && answer.Items.GetArrayLength() > 0 && answer.Items[0].ValueKind == JsonValueKind.Object
                  && answer.Items[0].TryGetProperty("apiKey", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        return _apiKey = key is { Length: > 0 } ? key : throw NotTheExpected("authenticate", "no apiKey in its items");
    }

    /// <summary>Makes sure the queue's tables exist (idempotent, b.3); the first call stamps every entry, so the next getUpdates queues the whole history.</summary>
    public async Task PrimeUpdatesAsync(CancellationToken ct) =>
        await ItemsAsync(Queue, "primeUpdates", new object[] { await ApiKeyAsync(ct) }, ct);

    /// <summary>Up to <paramref name="limit"/> unconfirmed messages, newest first (b.4), and those that could not be read.</summary>
    public async Task<(IReadOnlyList<KimaiV1Message> Messages, IReadOnlyList<KimaiV1BadMessage> Bad)> GetUpdatesAsync(int limit, CancellationToken ct)
    {
        var items = await ItemsAsync(Queue, "getUpdates", new object[] { await ApiKeyAsync(ct), limit }, ct);
        if (items.ValueKind != JsonValueKind.Object || !items.TryGetProperty("queued_data", out var queued) || queued.ValueKind != JsonValueKind.Array)
        {
            throw NotTheExpected("getUpdates", "no queued_data list in its items");
        }
        var messages = new List<KimaiV1Message>();
        var bad = new List<KimaiV1BadMessage>();
        foreach (var row in queued.EnumerateArray())
        {
            var key = row.ValueKind == JsonValueKind.Object && row.TryGetProperty("id", out var id) ? id.ToString() : row.GetRawText();
            try
            {
                messages.Add(Message(row));
            }
            catch (FormatException e)
            {
                bad.Add(new KimaiV1BadMessage(key, $"Kimai queue message {ExternalCall.Trim(key)} could not be read ({e.Message}); it stays unconfirmed"));
            }
        }
        return (messages, bad);
    }

    /// <summary>Marks a message received; false when Kimai knows no such message ("ERROR: Invalid ID").</summary>
    public async Task<bool> ConfirmQueueMessageAsync(int queueId, CancellationToken ct)
    {
        var answer = await CallAsync(Queue, "confirmQueueMessage", new object[] { await ApiKeyAsync(ct), queueId }, ct);
        return answer.Success || (answer.Message == "ERROR: Invalid ID" ? false : throw Refused("confirmQueueMessage", answer.Message));
    }

    /// <summary>Visible projects of visible customers, named parameters as the extension sends them.</summary>
    public async Task<IReadOnlyList<KimaiProject>> GetProjectsAsync(CancellationToken ct)
    {
        var answer = await CallAsync(Stock, "getProjects", new Dictionary<string, string> { ["apiKey"] = await ApiKeyAsync(ct) }, ct);
        if (!answer.Success)
        {
            // Kimai 1 answers a bare error, without a message of its own, when there is no project at all
            return answer.Message == NoMessage ? [] : throw Refused("getProjects", answer.Message);
        }
        var items = answer.Items;
        if (items.ValueKind != JsonValueKind.Array)
        {
            throw NotTheExpected("getProjects", "its items are not a list");
        }
        try
        {
            return [.. items.EnumerateArray().Select(p => new KimaiProject(RequiredInt(p, "projectID"), Text(p, "name"), Int(p, "customerID"), Text(p, "customerName")))];
        }
        catch (FormatException e)
        {
            throw NotTheExpected("getProjects", e.Message);
        }
    }

    /// <summary>One entry of any user, or null when Kimai has none with this id (it answers an error without a message of its own).</summary>
    public async Task<KimaiTimesheet?> GetTimesheetRecordAsync(int id, CancellationToken ct)
    {
        var answer = await CallAsync(Stock, "getTimesheetRecord", new object[] { await ApiKeyAsync(ct), id }, ct);
        if (!answer.Success)
        {
            return answer.Message is NoMessage or "Invalid ID" ? null : throw Refused("getTimesheetRecord", answer.Message);
        }
        if (answer.Items.ValueKind != JsonValueKind.Array || answer.Items.GetArrayLength() == 0)
        {
            return null;
        }
        try
        {
            return Entry(answer.Items[0]);
        }
        catch (FormatException e)
        {
            throw NotTheExpected("getTimesheetRecord", e.Message);
        }
    }

    /// <summary>A queue row as the sync's entry; deletions carry only the id.</summary>
    internal static KimaiV1Message Message(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("not an object");
        }
        var queueId = RequiredInt(row, "id");
        var entryId = RequiredInt(row, "timeEntryID");
        return Text(row, "action") switch
        {
            "update" => new KimaiV1Message(queueId, entryId, Entry(row)),
            "delete" => new KimaiV1Message(queueId, entryId, null),
            var other => throw new FormatException($"unknown action '{other}'"),
        };
    }

    /// <summary>
    /// A Kimai 1 timesheet row (MySQL values as strings): start and end in Unix seconds, end 0 while the timer runs,
    /// duration in seconds. The details are the <c>comment</c>, as the extension wrote them, or the <c>description</c> when there is no comment.
    /// </summary>
    internal static KimaiTimesheet Entry(JsonElement row)
    {
        var end = Int(row, "end") ?? 0;
        var comment = Text(row, "comment");
        return new KimaiTimesheet
        {
            Id = RequiredInt(row, "timeEntryID"),
            Begin = DateTimeOffset.FromUnixTimeSeconds(RequiredInt(row, "start")),
            End = end == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(end),
            Duration = Int(row, "duration") ?? 0,
            Description = comment is { Length: > 0 } ? comment : Text(row, "description"),
            Project = Int(row, "projectID"),
            Activity = Int(row, "activityID"),
            User = Int(row, "userID"),
        };
    }

    private static int RequiredInt(JsonElement row, string name) => Int(row, name) ?? throw new FormatException($"{name} is missing");

    private static int? Int(JsonElement row, string name) =>
        !row.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw new FormatException($"{name} '{ExternalCall.Trim(value.ToString())}' is not a whole number");

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;

    private sealed record Answer(bool Success, JsonElement Items, string? Message);

    private async Task<JsonElement> ItemsAsync(string endpoint, string method, object parameters, CancellationToken ct)
    {
        var answer = await CallAsync(endpoint, method, parameters, ct);
        return answer.Success ? answer.Items : throw Refused(method, answer.Message);
    }

    private static ExternalServiceException Refused(string method, string? message) => new(ServiceName, message == UnknownUser
        ? $"{method} refused the API key (Unknown user or no permissions.): check KIMAI_API_KEY, or KIMAI_API_USER and KIMAI_API_PASSWORD"
        : $"{method} failed: {ExternalCall.Trim(message ?? "(no message)")}");

    private static ExternalServiceException NotTheExpected(string method, string what) =>
        new(ServiceName, $"answered {method} with something that is not the expected JSON ({what})");

    /// <summary>One JSON-RPC call; the wrapped result, or an ExternalServiceException for everything that is not one.</summary>
    private async Task<Answer> CallAsync(string endpoint, string method, object parameters, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters, id = "1" });
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await ExternalCall.SendAsync(http, request, ServiceName, $"{endpoint} {method}", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ExternalServiceException(ServiceName, response.StatusCode switch
            {
                HttpStatusCode.NotFound when endpoint == Queue => $"core/{Queue} was not found (404): install kimai1_civicrm in the Kimai 1 at KIMAI_URL",
                HttpStatusCode.NotFound => $"core/{Stock} was not found (404): is KIMAI_URL the root of a Kimai 1?",
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"access denied ({(int)response.StatusCode}) to core/{endpoint}: {ExternalCall.Trim(text)}",
                _ => $"answered {(int)response.StatusCode} to {method}: {ExternalCall.Trim(text)}",
            }, response.StatusCode);
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) ? c.ToString() : "?";
                var message = error.TryGetProperty("message", out var m) ? m.ToString() : "";
                throw new ExternalServiceException(ServiceName, $"JSON-RPC error {code} from {method}: {ExternalCall.Trim(message)}", response.StatusCode);
            }
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object
                || !result.TryGetProperty("success", out var success) || success.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw NotTheExpected(method, $"no result with success: {ExternalCall.Trim(text)}");
            }
            if (success.GetBoolean())
            {
                return new Answer(true, result.TryGetProperty("items", out var items) ? items.Clone() : default, null);
            }
            var msg = result.TryGetProperty("error", out var failure) && failure.ValueKind == JsonValueKind.Object && failure.TryGetProperty("msg", out var text2) ? text2.ToString() : null;
            return new Answer(false, default, msg);
        }
        catch (JsonException)
        {
            throw NotTheExpected(method, $"not JSON: {ExternalCall.Trim(text)}");
        }
    }
}
