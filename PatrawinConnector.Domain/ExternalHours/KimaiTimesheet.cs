using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// A Kimai 2 timesheet entry as GET /api/timesheets returns it (external-hours.md c.3), and the form a Kimai 1 row takes
/// too (<see cref="KimaiV1Client"/>), so the ledger's snapshots do not depend on the source. Only the fields the sync uses;
/// unknown fields are ignored. <see cref="End"/> is null while the timer runs.
/// </summary>
public sealed record KimaiTimesheet
{
    public int Id { get; init; }

    [JsonConverter(typeof(KimaiDateTimeConverter))]
    public DateTimeOffset Begin { get; init; }

    [JsonConverter(typeof(KimaiNullableDateTimeConverter))]
    public DateTimeOffset? End { get; init; }

    /// <summary>Seconds, already net of the break; may have been set by hand. Null: end − begin − break.</summary>
    public long? Duration { get; init; }

    public long? Break { get; init; }
    public string? Description { get; init; }
    public int? Project { get; init; }
    public int? Activity { get; init; }
    public int? User { get; init; }

    public bool IsRunning => End is null;

    /// <summary>The entry's net duration in seconds.</summary>
    public long NetSeconds => Duration ?? (End is { } end ? (long)(end - Begin).TotalSeconds - (Break ?? 0) : 0);
}

/// <summary>Kimai writes offsets without a colon (<c>+0200</c>), which System.Text.Json's own converter refuses.</summary>
public sealed class KimaiDateTimeConverter : JsonConverter<DateTimeOffset>
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"];

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString() ?? throw new JsonException("A Kimai date is null"));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).Remove(22, 1));
}

public sealed class KimaiNullableDateTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : KimaiDateTimeConverter.Parse(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            new KimaiDateTimeConverter().Write(writer, v, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
