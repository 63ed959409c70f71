using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.PostedTime;

/// <summary>What one time group becomes in Patrawin: one pw_PostTime call per tag, all with the same values.</summary>
public sealed record PostingPlan(
    string GroupId,
    IReadOnlyList<string> Tags,
    string Author,
    string UserDisplayName,
    int ActivityCode,
    string Narrative,
    DateTimeOffset StartTime,
    long WorkedSeconds,
    long ChargeableSeconds)
{
    /// <summary>Whole minutes Patrawin stores (pw_PostTime truncates the chargeable seconds).</summary>
    public int Minutes => (int)(ChargeableSeconds / 60);
}

/// <summary>
/// Turns a well-formed <see cref="TimeGroup"/> into a <see cref="PostingPlan"/>, or says why it cannot be posted.
/// Pure: no database, no clock. The checks against Patrawin's data come later.
/// </summary>
public static class PostingPlanner
{
    public const int MaxAuthorLength = 50;

    /// <summary>The reason a group is rejected; <see cref="NothingToPost"/> is true when it has no tag of ours (a success).</summary>
    public sealed record Refusal(string Reason, bool NothingToPost = false);

    public static bool TryPlan(
        TimeGroup group, string tagUpsertPath, bool addSummary,
        [NotNullWhen(true)] out PostingPlan? plan, [NotNullWhen(false)] out Refusal? refusal)
    {
        plan = null;
        if (TryFindShapeProblem(group, out var problem))
        {
            refusal = new Refusal(problem);
            return false;
        }

        var relevantTags = group.Tags!
            .Where(t => IsRelevant(t, tagUpsertPath) && !string.IsNullOrWhiteSpace(t.Name))
            .Select(t => t.Name!.Trim())
            .Distinct(StringComparer.Ordinal)   // the same case twice in one group is posted once
            .ToList();
        if (relevantTags.Count == 0)
        {
            refusal = new Refusal(
                $"Time group has no Patrawin tags (tags in the {tagUpsertPath} folder). There is nothing to post to Patrawin.",
                NothingToPost: true);
            return false;
        }

        var rows = group.TimeRows ?? [];
        DateTimeOffset start;
        if (rows.Count > 0)
        {
            start = new DateTimeOffset(rows.Min(TimeRows.StartUtc), TimeSpan.Zero);
        }
        else if (group.LocalDate is { } localDate)
        {
            // No rows: noon of the user's local date, as the Java connector did.
            start = new DateTimeOffset(localDate.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)
                .AddMinutes(-(group.TzOffsetMins ?? 0));
        }
        else
        {
            refusal = new Refusal("Cannot post a time group with no time rows and no local date.");
            return false;
        }

        if (!TryResolveActivityCode(group, rows, out var code, out problem))
        {
            refusal = new Refusal(problem);
            return false;
        }

        var user = group.User!;
        var author = (string.IsNullOrWhiteSpace(user.ExternalId) ? user.Email! : user.ExternalId).Trim();
        var worked = rows.Sum(r => r.DurationSecs ?? 0);
        var weighting = Durations.EffectiveWeighting(user.ExperienceWeightingPercent);
        plan = new PostingPlan(
            group.GroupId!.Trim(),
            relevantTags,
            author,
            user.Email ?? user.Name ?? author,
            code,
            NarrativeFormatter.Format(group, rows, addSummary),
            start,
            worked,
            Durations.Chargeable(group.TotalDurationSecs!.Value, weighting));
        refusal = null;
        return true;
    }

    /// <summary>Tags whose path is TAG_UPSERT_PATH, with or without its surrounding slashes; a null path is not ours.</summary>
    public static bool IsRelevant(Tag tag, string tagUpsertPath) =>
        tag.Path is { } path &&
        (string.Equals(path, tagUpsertPath, StringComparison.Ordinal) ||
         string.Equals(path, tagUpsertPath.Trim('/'), StringComparison.Ordinal));

    private static bool TryFindShapeProblem(TimeGroup group, [NotNullWhen(true)] out string? problem)
    {
        problem = group switch
        {
            { GroupId: var id } when string.IsNullOrWhiteSpace(id) => "The time group has no groupId.",
            { GroupId.Length: > 200 } => "The time group's groupId is longer than 200 characters.",
            { User: null } => "The time group has no user.",
            { User: { ExternalId: var x, Email: var e } } when string.IsNullOrWhiteSpace(x) && string.IsNullOrWhiteSpace(e) =>
                "The time group's user has neither an external id nor an e-mail address, so no Patrawin user can be found.",
            { Tags: null } => "The time group has no tags field.",
            { Tags.Count: 0 } => "The time group has no tags. Assign it to a Patrawin case or client and post it again.",
            { TotalDurationSecs: null } => "The time group has no totalDurationSecs.",
            { TotalDurationSecs: < 0 } => $"The time group has a negative total duration ({group.TotalDurationSecs} s).",
            { TzOffsetMins: < -1080 or > 1080 } => $"The time group's time zone offset ({group.TzOffsetMins} min) is beyond ±18 hours.",
            _ => null,
        };
        if (problem is not null)
        {
            return true;
        }

        var rows = group.TimeRows ?? [];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null)
            {
                problem = $"Time row {i + 1} is empty.";
                return true;
            }
            if (TimeRows.TryFindProblem(rows[i], i + 1, out var rowProblem))
            {
                problem = $"The time group cannot be posted: {rowProblem}.";
                return true;
            }
        }

        var tags = group.Tags!;
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i] is null)
            {
                problem = $"Tag {i + 1} of the time group is empty.";
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The group's activityType.code when present (rule R4); otherwise the one code all rows share.
    /// It must be a whole number; whether Patrawin knows it is checked later.
    /// </summary>
    private static bool TryResolveActivityCode(TimeGroup group, IReadOnlyList<TimeRow> rows, out int code, [NotNullWhen(false)] out string? problem)
    {
        code = 0;
        string? text;
        if (!string.IsNullOrWhiteSpace(group.ActivityType?.Code))
        {
            text = group.ActivityType.Code;
        }
        else
        {
            var codes = rows.Select(r => string.IsNullOrWhiteSpace(r.ActivityTypeCode) ? null : r.ActivityTypeCode.Trim()).Distinct().ToList();
            if (codes.Count != 1 || codes[0] is null)
            {
                problem = codes.Count > 1
                    ? $"Time group has an invalid activity code: its time rows have different activity codes ({string.Join(", ", codes.Select(c => c ?? "none"))}). Choose one activity code for the whole group."
                    : "Time group has no activity code. Choose a Patrawin activity code and post it again.";
                return false;
            }
            text = codes[0];
        }

        if (!int.TryParse(text!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out code))
        {
            problem = $"Time group has an invalid activity code: '{text.Trim()}' is not a Patrawin activity code (they are numbers).";
            return false;
        }

        problem = null;
        return true;
    }
}
