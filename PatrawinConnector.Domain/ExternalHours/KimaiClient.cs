using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>Which timesheets to list (external-hours.md c.2); always every user's, ordered by id for stable paging.</summary>
public sealed record KimaiTimesheetQuery(DateTime? ModifiedAfterUtc = null, DateTime? BeginLocal = null, int? Project = null, int PageSize = 500)
{
    /// <summary>The page size sent: Kimai accepts 1 to 500.</summary>
    public int Size => Math.Clamp(PageSize, 1, 500);
}

public sealed record KimaiUser(int Id, string? Username, string? Timezone, IReadOnlyList<string>? Roles);

public sealed record KimaiProject(int Id, string? Name, int? Customer, string? ParentTitle);

/// <summary>
/// Kimai 2's REST API. Base address <c>{KIMAI_URL}/api/</c> and the credentials (Bearer token, or the legacy X-AUTH
/// headers) are set when the client is registered. Paging follows the X-Total-Pages header and starts over when
/// X-Total-Count changes between pages (a deletion shifts offset-based pages).
/// </summary>
public sealed class KimaiClient(HttpClient http)
{
    public const string ServiceName = "Kimai";
    private const int MaxRestarts = 3;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<KimaiUser> GetMeAsync(CancellationToken ct) =>
        await GetJsonAsync<KimaiUser>("users/me", ct) ?? throw new ExternalServiceException(ServiceName, "users/me answered an empty body");

    public async Task<IReadOnlyList<KimaiProject>> GetProjectsAsync(CancellationToken ct) =>
        await GetJsonAsync<List<KimaiProject>>("projects?visible=3&ignoreDates=1", ct) ?? [];

    /// <summary>One entry, or null when Kimai answers 404 (it was deleted).</summary>
    public async Task<KimaiTimesheet?> GetTimesheetAsync(int id, CancellationToken ct)
    {
        using var response = await SendAsync($"timesheets/{id.ToString(CultureInfo.InvariantCulture)}", ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<KimaiTimesheet>(response, "timesheets/{id}", ct);
    }

    /// <summary>Every page of the query, de-duplicated by id.</summary>
    public async Task<IReadOnlyList<KimaiTimesheet>> GetTimesheetsAsync(KimaiTimesheetQuery query, CancellationToken ct)
    {
        for (var attempt = 0; attempt <= MaxRestarts; attempt++)
        {
            var entries = new Dictionary<int, KimaiTimesheet>();
            long? total = null;
            var pages = 1;
            var restarted = false;
            for (var page = 1; page <= pages; page++)
            {
                HttpResponseMessage response;
                try
                {
                    response = await SendAsync(TimesheetsPath(query, page), ct);
                }
                catch (ExternalServiceException e) when (page > 1 && e.StatusCode == HttpStatusCode.NotFound)
                {
                    restarted = true;   // deletions made the list a page shorter while paging
                    break;
                }
                using (response)
                {
                    var pageTotal = Header(response, "X-Total-Count");
                    if (total is not null && pageTotal != total)
                    {
                        restarted = true;   // entries were added or deleted while paging: offsets moved
                        break;
                    }
                    total = pageTotal;
                    var listed = await ReadAsync<List<KimaiTimesheet>>(response, "timesheets", ct) ?? [];
                    pages = Header(response, "X-Total-Pages") is { } totalPages ? (int)Math.Max(1, totalPages)
                        : listed.Count < query.Size ? page
                        : throw new ExternalServiceException(ServiceName, "answered a full page of timesheets without the X-Total-Pages header: cannot tell whether more follow");
                    foreach (var entry in listed)
                    {
                        entries[entry.Id] = entry;
                    }
                }
            }
            if (!restarted)
            {
                return [.. entries.Values.OrderBy(e => e.Id)];
            }
        }
        throw new ExternalServiceException(ServiceName, $"the timesheet list kept changing while it was paged ({MaxRestarts + 1} attempts)");
    }

    internal static string TimesheetsPath(KimaiTimesheetQuery query, int page)
    {
        var parameters = new List<string> { "user=all" };
        if (query.ModifiedAfterUtc is { } modified)
        {
            parameters.Add($"modified_after={Format(modified)}");
        }
        if (query.BeginLocal is { } begin)
        {
            parameters.Add($"begin={Format(begin)}");
        }
        if (query.Project is { } project)
        {
            parameters.Add($"project={project.ToString(CultureInfo.InvariantCulture)}");
        }
        parameters.Add("orderBy=id");
        parameters.Add("order=ASC");
        parameters.Add($"size={query.Size.ToString(CultureInfo.InvariantCulture)}");
        parameters.Add($"page={page.ToString(CultureInfo.InvariantCulture)}");
        return "timesheets?" + string.Join('&', parameters);
    }

    /// <summary>Kimai's only accepted date format: no offset, no Z, no fraction.</summary>
    private static string Format(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private async Task<T?> GetJsonAsync<T>(string path, CancellationToken ct)
    {
        using var response = await SendAsync(path, ct);
        return await ReadAsync<T>(response, path, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var response = await ExternalCall.SendAsync(http, request, ServiceName, path, ct);

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound && path.StartsWith("timesheets/", StringComparison.Ordinal))
        {
            return response;
        }
        var status = response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(ct);
        response.Dispose();
        throw new ExternalServiceException(ServiceName, status switch
        {
            HttpStatusCode.Unauthorized => "the API token was refused (401): check KIMAI_API_TOKEN",
            HttpStatusCode.Forbidden => $"access denied (403) to {path}: {ExternalCall.Trim(body)}",
            _ => $"answered {(int)status} to {path}: {ExternalCall.Trim(body)}",
        }, status);
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, string path, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, ct);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
        {
            throw new ExternalServiceException(ServiceName, $"answered {path} with something that is not the expected JSON ({e.Message})", response.StatusCode, inner: e);
        }
    }
}
