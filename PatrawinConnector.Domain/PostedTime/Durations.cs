namespace PatrawinConnector.Domain.PostedTime;

/// <summary>Worked and chargeable time of a time group (wisetime-patrawin.md section c; rule R9).</summary>
public static class Durations
{
    /// <summary>The experience weighting applied: the user's percentage when positive, else 100 (no weighting).</summary>
    public static int EffectiveWeighting(int? experienceWeightingPercent) =>
        experienceWeightingPercent is > 0 ? experienceWeightingPercent.Value : 100;

    /// <summary>Chargeable seconds: the (possibly user-edited) total, weighted, rounded up.</summary>
    public static long Chargeable(long totalDurationSecs, int effectiveWeighting) =>
        (long)Math.Ceiling(totalDurationSecs * (double)effectiveWeighting / 100d);

    /// <summary>
    /// A duration as hours, minutes and seconds with zero parts left out: 66 → "1m 6s", 3601 → "1h 1s", 0 → "0s".
    /// Hours are not capped at 24 (90000 → "25h").
    /// </summary>
    public static string Format(long seconds)
    {
        if (seconds <= 0)
        {
            return "0s";
        }

        var hours = seconds / 3600;
        var minutes = seconds % 3600 / 60;
        var secs = seconds % 60;
        var parts = new List<string>(3);
        if (hours > 0)
        {
            parts.Add($"{hours}h");
        }
        if (minutes > 0)
        {
            parts.Add($"{minutes}m");
        }
        if (secs > 0)
        {
            parts.Add($"{secs}s");
        }
        return string.Join(' ', parts);
    }
}
