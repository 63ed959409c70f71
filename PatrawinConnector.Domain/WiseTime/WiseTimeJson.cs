using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatrawinConnector.Domain.WiseTime;

/// <summary>Connect API JSON: camelCase, nulls omitted on write, tolerant on read.</summary>
public static class WiseTimeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
