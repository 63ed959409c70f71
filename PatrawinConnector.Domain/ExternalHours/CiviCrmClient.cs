using System.Globalization;
using System.Net;
using System.Text.Json;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// CiviCRM APIv4 over HTTP (external-hours.md d): POST <c>{CIVICRM_API4_URL}/{Entity}/{action}</c> with the form field
/// <c>params</c> holding the JSON parameters; AuthX headers (X-Civi-Auth, X-Requested-With, optional X-Civi-Key) are set
/// when the client is registered, with <see cref="ExternalHoursResilience"/> retrying all but creates. Errors are told apart: a JSON error with HTTP 500 is about this call (entry level);
/// 401, 403, 503, a body that is not JSON, or no answer are infrastructure failures.
/// </summary>
public sealed class CiviCrmClient(HttpClient http)
{
    public const string ServiceName = "CiviCRM";

    /// <summary>One APIv4 call; returns its <c>values</c>.</summary>
    public async Task<IReadOnlyList<JsonElement>> CallAsync(string entity, string action, object parameters, CancellationToken ct)
    {
        var path = $"{entity}/{action}";
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent([new("params", JsonSerializer.Serialize(parameters))]),
        };
        // a create is sent once: a lost answer may hide a stored activity, which the next run finds by its subject
        request.Options.Set(ExternalHoursResilience.NotIdempotent, action == "create");
        using (var response = await ExternalCall.SendAsync(http, request, ServiceName, path, ct))
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new ExternalServiceException(ServiceName, $"refused the API key ({(int)response.StatusCode}): {ExternalCall.Trim(body)}", response.StatusCode);
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                throw new ExternalServiceException(ServiceName, $"answered {(int)response.StatusCode} to {path} with something that is not JSON: {ExternalCall.Trim(body)}", response.StatusCode);
            }

            using (document)
            {
                var root = document.RootElement;
                if (response.IsSuccessStatusCode && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
                {
                    return [.. values.EnumerateArray().Select(v => v.Clone())];
                }

                var message = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_message", out var error) ? error.GetString()
                    : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status_message", out var status) ? status.GetString()
                    : ExternalCall.Trim(body);
                var entryLevel = response.StatusCode == HttpStatusCode.InternalServerError && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_code", out _);
                throw new ExternalServiceException(ServiceName, $"{path} failed ({(int)response.StatusCode}): {message}", response.StatusCode, entryLevel);
            }
        }
    }

    /// <summary>Creates the activity and returns its id.</summary>
    public async Task<int> CreateActivityAsync(ActivityValues values, CancellationToken ct) =>
        (await CallAsync("Activity", "create", new { values = Fields(values) }, ct)).Single().GetProperty("id").GetInt32();

    /// <summary>Updates the activity with every desired value; false when it no longer exists (count 0).</summary>
    public async Task<bool> UpdateActivityAsync(int activityId, ActivityValues values, CancellationToken ct) =>
        (await CallAsync("Activity", "update", new { where = new object[] { new object[] { "id", "=", activityId } }, values = Fields(values) }, ct)).Count > 0;

    /// <summary>Deletes the activity; false when it was already gone.</summary>
    public async Task<bool> DeleteActivityAsync(int activityId, CancellationToken ct) =>
        (await CallAsync("Activity", "delete", new { where = new object[] { new object[] { "id", "=", activityId } } }, ct)).Count > 0;

    /// <summary>
    /// Activities an earlier, unanswered create stored, found by their idempotency key (type and subject): subject → id,
    /// the lowest id when an administrator copied one. No limit, so a long subject list cannot hide a match.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> FindActivitiesAsync(int activityTypeId, IReadOnlyCollection<string> subjects, CancellationToken ct)
    {
        var found = await CallAsync("Activity", "get", new
        {
            select = new[] { "id", "subject" },
            where = new object[] { new object[] { "activity_type_id", "=", activityTypeId }, new object[] { "subject", "IN", subjects } },
            orderBy = new Dictionary<string, string> { ["id"] = "ASC" },
        }, ct);
        var bySubject = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var activity in found)
        {
            bySubject.TryAdd(activity.GetProperty("subject").GetString() ?? string.Empty, activity.GetProperty("id").GetInt32());
        }
        return bySubject;
    }

    /// <summary>The "Service Hours" activity type's value: by machine name, else by label, else created (d.7).</summary>
    public async Task<int> FindOrCreateActivityTypeAsync(string name, string label, CancellationToken ct)
    {
        foreach (var (field, value) in new[] { ("name", name), ("label", label) })
        {
            var found = await CallAsync("OptionValue", "get", new
            {
                select = new[] { "id", "value", "name", "label", "is_active" },
                where = new object[] { new object[] { "option_group_id:name", "=", "activity_type" }, new object[] { field, "=", value } },
            }, ct);
            if (found.Count > 0)
            {
                return ValueOf(found[0]);
            }
        }
        var created = await CallAsync("OptionValue", "create", new
        {
            values = new Dictionary<string, object>
            {
                ["option_group_id:name"] = "activity_type", ["name"] = name, ["label"] = label,
                ["description"] = "Service hours synced from Kimai", ["is_active"] = true,
            },
        }, ct);
        return ValueOf(created.Single());
    }

    /// <summary>Organisations whose display name contains <paramref name="text"/> (or the one with that id), for the mapping page.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> FindOrganisationsAsync(string? text, int? id, CancellationToken ct)
    {
        var where = new List<object> { new object[] { "contact_type", "=", "Organization" }, new object[] { "is_deleted", "=", false } };
        if (id is { } contactId)
        {
            where.Add(new object[] { "id", "=", contactId });
        }
        if (!string.IsNullOrWhiteSpace(text))
        {
            where.Add(new object[] { "display_name", "LIKE", $"%{text.Trim()}%" });
        }
        var found = await CallAsync("Contact", "get", new
        {
            select = new[] { "id", "display_name" },
            where,
            orderBy = new Dictionary<string, string> { ["display_name"] = "ASC" },
            limit = 25,
        }, ct);
        return [.. found.Select(c => (c.GetProperty("id").GetInt32(), c.GetProperty("display_name").GetString() ?? string.Empty))];
    }

    private static Dictionary<string, object> Fields(ActivityValues values) => new()
    {
        ["activity_type_id"] = values.ActivityTypeId,
        ["subject"] = values.Subject,
        ["activity_date_time"] = values.ActivityDateTime,
        ["duration"] = values.DurationMinutes,
        ["details"] = values.Details,
        ["status_id:name"] = values.Status,
        ["source_contact_id"] = values.SourceContactId,
        ["target_contact_id"] = values.TargetContactIds,
    };

    private static int ValueOf(JsonElement optionValue)
    {
        var value = optionValue.GetProperty("value");
        return value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, CultureInfo.InvariantCulture);
    }
}
