using System.Net;
using System.Text.Json.Nodes;

namespace PatrawinConnector.Tests.Support;

/// <summary>Reads the connector's health endpoints as a probe does.</summary>
public static class HealthProbe
{
    public static async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(ConnectorApiFactory factory, string path)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(path);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Each check's name and "Status: description".</summary>
    public static Dictionary<string, string> Checks(JsonNode body) =>
        body["checks"]!.AsArray().ToDictionary(
            c => c!["name"]!.GetValue<string>(),
            c => $"{c!["status"]!.GetValue<string>()}: {c["description"]?.GetValue<string>()}");
}
