using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.PostedTime;

internal static class TimeRows
{
    /// <summary>The UTC instant a row starts: its activityHour (yyyyMMddHH, UTC) plus firstObservedInHour minutes.</summary>
    public static DateTime StartUtc(TimeRow row)
    {
        TryParseHour(row.ActivityHour ?? 0, out var hour);
        return hour.AddMinutes(row.FirstObservedInHour ?? 0);
    }

    public static bool TryParseHour(int activityHour, out DateTime hourUtc) =>
        DateTime.TryParseExact(
            activityHour.ToString(CultureInfo.InvariantCulture), "yyyyMMddHH", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out hourUtc);

    /// <summary>Why a row cannot be posted, or null when it is well-formed.</summary>
    public static bool TryFindProblem(TimeRow row, int position, [NotNullWhen(true)] out string? problem)
    {
        problem = row switch
        {
            { ActivityHour: null } => $"time row {position} has no activityHour",
            { ActivityHour: { } h } when !TryParseHour(h, out _) => $"time row {position} has an activityHour ({h}) that is not a yyyyMMddHH hour",
            { FirstObservedInHour: < 0 or > 59 } => $"time row {position} has a firstObservedInHour ({row.FirstObservedInHour}) outside 0–59",
            { DurationSecs: null } => $"time row {position} has no durationSecs",
            { DurationSecs: < 0 } => $"time row {position} has a negative duration ({row.DurationSecs} s)",
            { TimezoneOffsetMin: < -1080 or > 1080 } => $"time row {position} has a time zone offset ({row.TimezoneOffsetMin} min) beyond ±18 hours",
            _ => null,
        };
        return problem is not null;
    }
}
