using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.WiseTime;

/// <summary>Connect API JSON: camelCase, nulls omitted on write, tolerant on read.</summary>
public static class WiseTimeJson
{
    /// <summary>
    /// The generated context's own settings (so that its fast writer is used for tag batches, the one body sent hundreds
    /// of times a second), with reflection for every other type.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(WiseTimeJsonContext.Default.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(WiseTimeJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };
}

/// <summary>Connect API JSON settings, stated once: <see cref="WiseTimeJson.Options"/> copies them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchUpsertTagRequest))]
internal sealed partial class WiseTimeJsonContext : JsonSerializerContext;
