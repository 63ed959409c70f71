using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// The CiviCRM "Service Hours" activity a Kimai entry becomes (external-hours.md section f), and the fingerprint of
/// exactly those values, so that an unchanged entry is a no-op and a mapping change triggers an update.
/// </summary>
public sealed record ActivityValues(
    int ActivityTypeId,
    string Subject,
    string ActivityDateTime,
    long DurationMinutes,
    string Details,
    string Status,
    int SourceContactId,
    IReadOnlyList<int> TargetContactIds)
{
    public static string SubjectOf(int timesheetId) => $"Kimai timesheet #{timesheetId.ToString(CultureInfo.InvariantCulture)}";

    public static ActivityValues From(KimaiTimesheet entry, int organisationId, int activityTypeId, TimeZoneInfo civicrmZone, string status = "Completed") => new(
        activityTypeId,
        SubjectOf(entry.Id),
        TimeZoneInfo.ConvertTime(entry.Begin, civicrmZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        Minutes(entry.NetSeconds),
        HtmlDetails(entry.Description),
        status,
        organisationId,
        [organisationId]);

    /// <summary>Whole minutes, a half rounded away from zero as PHP's round does (90 s → 2, 150 s → 3; banker's rounding would give 2 for 150 s).</summary>
    public static long Minutes(long seconds) => (long)Math.Round(seconds / 60d, MidpointRounding.AwayFromZero);

    /// <summary>The description as HTML: &amp; first, then &lt; &gt; &quot;, and each line break as &lt;br /&gt;.</summary>
    public static string HtmlDetails(string? description) =>
        description is null
            ? string.Empty
            : description.Replace("&", "&amp;", StringComparison.Ordinal)
                .Replace("<", "&lt;", StringComparison.Ordinal)
                .Replace(">", "&gt;", StringComparison.Ordinal)
                .Replace("\"", "&quot;", StringComparison.Ordinal)
                .Replace("\r\n", "<br />", StringComparison.Ordinal)
                .Replace("\n", "<br />", StringComparison.Ordinal);

    [System.Text.Json.Serialization.JsonIgnore]
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this)));
}
