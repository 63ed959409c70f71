using System.Globalization;
using System.Text;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.PostedTime;

/// <summary>
/// Builds the narrative stored in PENDING_TIME_335.Text (wisetime-patrawin.md section d): the description,
/// one block per local hour with a line per row, and optionally the worked/chargeable summary.
/// Every line break is CRLF (rule R3).
/// </summary>
public static class NarrativeFormatter
{
    private const string NewLine = "\r\n";
    private const string NoWindowTitle = "No window title available";

    public static string Format(TimeGroup group, IReadOnlyList<TimeRow> rows, bool addSummary)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrEmpty(group.Description))
        {
            text.Append(group.Description).Append(NewLine);
        }

        if (group.NarrativeType != NarrativeTypes.NarrativeOnly)
        {
            AppendHourBlocks(text, group, rows);
        }

        if (addSummary)
        {
            AppendSummary(text, group, rows);
        }

        return Normalise(text.ToString().Trim());
    }

    private static void AppendHourBlocks(StringBuilder text, TimeGroup group, IReadOnlyList<TimeRow> rows)
    {
        var blocks = rows
            .Select((row, index) => (Row: row, Index: index, Hour: LocalStart(row, group).Hour))
            .GroupBy(r => r.Hour)
            .OrderBy(g => g.Key);   // by hour of day, as WiseTime formats it (a midnight-spanning group lists 00 before 23)

        foreach (var block in blocks)
        {
            var hour = block.Key.ToString("00", CultureInfo.InvariantCulture);
            text.Append(NewLine).Append(hour).Append(":00 - ").Append(hour).Append(":59").Append(NewLine);
            foreach (var (row, _, _) in block.OrderBy(r => r.Index))
            {
                text.Append("- ").Append(Durations.Format(row.DurationSecs ?? 0))
                    .Append(" - ").Append(ActivityName(row.Activity))
                    .Append(" - ").Append(row.Description ?? NoWindowTitle)
                    .Append(NewLine);
            }
        }
    }

    private static void AppendSummary(StringBuilder text, TimeGroup group, IReadOnlyList<TimeRow> rows)
    {
        var worked = rows.Sum(r => r.DurationSecs ?? 0);
        var total = group.TotalDurationSecs ?? worked;
        var weighting = Durations.EffectiveWeighting(group.User?.ExperienceWeightingPercent);

        text.Append(NewLine).Append("Total Worked Time: ").Append(Durations.Format(worked)).Append(NewLine);
        if (worked == total && weighting != 100)
        {
            var weighted = (long)Math.Round(total * weighting / 100d, MidpointRounding.AwayFromZero);
            text.Append("Total Chargeable Time: ").Append(Durations.Format(weighted)).Append(NewLine)
                .Append(NewLine)
                .Append("The chargeable time has been weighed based on an experience factor of ")
                .Append(weighting.ToString(CultureInfo.InvariantCulture)).Append("%.").Append(NewLine);
        }
        else
        {
            // An edited total is shown unweighted: WiseTime's convention (the posted minutes are still weighted).
            text.Append("Total Chargeable Time: ").Append(Durations.Format(total)).Append(NewLine);
        }
    }

    /// <summary>The row's start in the user's local time of that row (its own offset, else the group's, else UTC).</summary>
    internal static DateTime LocalStart(TimeRow row, TimeGroup group) =>
        TimeRows.StartUtc(row).AddMinutes(row.TimezoneOffsetMin ?? group.TzOffsetMins ?? 0);

    private static string ActivityName(string? activity) =>
        activity is { Length: >= 4 } && activity.StartsWith("@_", StringComparison.Ordinal) && activity.EndsWith("_@", StringComparison.Ordinal)
            ? activity[2..^2]
            : activity ?? string.Empty;

    /// <summary>Makes every line break CRLF, also those inside the user's own description.</summary>
    private static string Normalise(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace('\r', '\n')
            .Replace("\n", NewLine, StringComparison.Ordinal);
}
