using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.WiseTime;

/// <summary>Connect API JSON: camelCase, nulls omitted on write, tolerant on read.</summary>
public static class WiseTimeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Tag batches, the one body sent hundreds of times a second, are written by generated code; the rest by reflection.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(WiseTimeJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };
}

/// <summary>The same settings as <see cref="WiseTimeJson.Options"/>, so that the generated writer can be used with them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchUpsertTagRequest))]
internal sealed partial class WiseTimeJsonContext : JsonSerializerContext;
