using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Api.Webhooks;

/// <summary>Reads a TimeGroup from the parsed body, naming the field when one has the wrong type.</summary>
internal static class TimeGroupReader
{
    public static bool TryRead(JsonElement body, [NotNullWhen(true)] out TimeGroup? group, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            group = body.Deserialize<TimeGroup>(WiseTimeJson.Options)!;
            problem = null;
            return true;
        }
        catch (JsonException e)
        {
            group = null;
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "a field" : $"the field {e.Path.TrimStart('$', '.')}";
            problem = $"Invalid request: {field} of the time group has the wrong type or format.";
            return false;
        }
    }
}
