using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>What a move from the CiviCRM extension took over.</summary>
public sealed record ExtensionMigrationResult(int MappingsAdded, int MappingsKept, IReadOnlyList<string> MappingsRefused, int ActivitiesTagged, int ActivitiesGone);

/// <summary>
/// Moves a site from the CiviCRM extension com.joineryhq.exthours (external-hours.md a.2) to the connector: its project
/// links (<c>ProjectContact</c>) become mappings, unless the project is mapped already; each activity its ledger
/// (<c>EntryActivity</c>) knows gets the subject <c>Kimai timesheet #{entry}</c>, the connector's idempotency key, so
/// that the next change of that entry finds and updates the extension's activity instead of creating a second one.
/// Run it once, after the extension's scheduled job is disabled; running it again changes nothing.
/// </summary>
public sealed class ExtensionMigration(CiviCrmClient civicrm, ExternalHoursMappingService mappings, ILogger<ExtensionMigration> logger)
{
    private const int Page = 500;

    public async Task<ExtensionMigrationResult> ImportAsync(CancellationToken ct)
    {
        var mapped = (await mappings.ListAsync(ct)).Select(m => m.KimaiProjectId).ToHashSet();
        var (added, kept, refused) = (0, 0, new List<string>());
        foreach (var link in await ReadAllAsync("ProjectContact", ["external_id", "contact_id"], ct))
        {
            var (project, contact) = (Id(link, "external_id"), Id(link, "contact_id"));
            if (!mapped.Add(project))
            {
                kept++;
            }
            else if (await mappings.PutAsync(project, contact, ct) is { } problem)
            {
                refused.Add($"Kimai project {project}: {problem}");
            }
            else
            {
                added++;
            }
        }

        var (tagged, gone) = (0, 0);
        foreach (var row in await ReadAllAsync("EntryActivity", ["external_id", "activity_id"], ct))
        {
            var values = await civicrm.CallAsync("Activity", "update", new
            {
                where = new object[] { new object[] { "id", "=", Id(row, "activity_id") } },
                values = new Dictionary<string, object> { ["subject"] = ActivityValues.SubjectOf(Id(row, "external_id")) },
            }, ct);
            _ = values.Count > 0 ? tagged++ : gone++;
        }
        var result = new ExtensionMigrationResult(added, kept, refused, tagged, gone);
        logger.LogInformation("external hours: took over the CiviCRM extension's {Added} project links ({Kept} already mapped, {Refused} refused) and tagged {Tagged} of its activities ({Gone} gone)",
            added, kept, refused.Count, tagged, gone);
        return result;
    }

    private async Task<List<JsonElement>> ReadAllAsync(string entity, string[] select, CancellationToken ct)
    {
        var all = new List<JsonElement>();
        while (true)
        {
            var page = await civicrm.CallAsync(entity, "get", new
            {
                select, orderBy = new Dictionary<string, string> { ["id"] = "ASC" }, limit = Page, offset = all.Count,
            }, ct);
            all.AddRange(page);
            if (page.Count < Page)
            {
                return all;
            }
        }
    }

    private static int Id(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) ? id
        : throw new ExternalServiceException(CiviCrmClient.ServiceName, $"answered a row without a whole number {name}: {ExternalCall.Trim(row.GetRawText())}");
}
