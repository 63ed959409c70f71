using System.Text.Json.Serialization;

namespace PatrawinConnector.Domain.WiseTime.Contracts;

// Posted time as WiseTime sends it (Connect API schemas TimeGroup, Tag, TimeRow, User, GroupActivityType).
// Readers are tolerant: unknown properties are ignored and enum-like fields stay strings, so that a new
// value from WiseTime is not a parse failure.

public sealed record TimeGroup
{
    public string? CallerKey { get; init; }
    public string? GroupId { get; init; }
    public string? Description { get; init; }
    public string? FormattedNarrative { get; init; }
    public long? TotalDurationSecs { get; init; }
    public double? TotalDurationHours { get; init; }
    public int? TzOffsetMins { get; init; }
    public DateOnly? LocalDate { get; init; }
    public long? Timestamp { get; init; }
    public string? GroupName { get; init; }
    public string? NarrativeType { get; init; }
    public string? Status { get; init; }
    public long? SubmissionTime { get; init; }
    public IReadOnlyList<Tag>? Tags { get; init; }
    public IReadOnlyList<TimeRow>? TimeRows { get; init; }
    public GroupActivityType? ActivityType { get; init; }
    public User? User { get; init; }
    public User? OriginatingUser { get; init; }
    public string? DurationSplitStrategy { get; init; }

    /// <summary>Identifies the group without the caller key (a secret) or the user's narrative.</summary>
    public override string ToString() => $"TimeGroup {{ GroupId = {GroupId}, Tags = {Tags?.Count ?? 0}, Rows = {TimeRows?.Count ?? 0} }}";
}

public sealed record Tag
{
    public string? Name { get; init; }
    public string? Path { get; init; }
    public string? Description { get; init; }
    public string? ExternalId { get; init; }
}

public sealed record TimeRow
{
    public string? Activity { get; init; }
    public string? Description { get; init; }
    public int? ActivityHour { get; init; }
    public int? FirstObservedInHour { get; init; }
    public long? DurationSecs { get; init; }
    public long? SubmittedDate { get; init; }
    public string? Modifier { get; init; }
    public string? ActivityTypeCode { get; init; }
    public string? Source { get; init; }

    [JsonPropertyName("timezone_name")]
    public string? TimezoneName { get; init; }

    [JsonPropertyName("timezone_offset_min")]
    public int? TimezoneOffsetMin { get; init; }
}

public sealed record User
{
    public string? UserId { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? ExternalId { get; init; }
    public string? BusinessRole { get; init; }
    public int? ExperienceWeightingPercent { get; init; }
}

public sealed record GroupActivityType
{
    public string? Code { get; init; }
    public string? Label { get; init; }
}

public static class NarrativeTypes
{
    public const string NarrativeAndTimeRowActivityDescriptions = "NARRATIVE_AND_TIME_ROW_ACTIVITY_DESCRIPTIONS";
    public const string NarrativeOnly = "NARRATIVE_ONLY";
}
