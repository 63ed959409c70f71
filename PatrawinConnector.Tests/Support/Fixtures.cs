using System.Text.Json;
using System.Text.Json.Nodes;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Tests.Support;

/// <summary>Captured WiseTime payloads in Fixtures/.</summary>
public static class Fixtures
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name));

    /// <summary>timegroup-example.json as a mutable JSON tree, with a fresh groupId so that no two tests share a group.</summary>
    public static JsonObject ExampleJson()
    {
        var json = JsonNode.Parse(Read("timegroup-example.json"))!.AsObject();
        json["groupId"] = Guid.NewGuid().ToString();
        return json;
    }

    public static TimeGroup Example() => ExampleJson().Deserialize<TimeGroup>(WiseTimeJson.Options)!;

    public static TimeGroup ToTimeGroup(this JsonObject json) => json.Deserialize<TimeGroup>(WiseTimeJson.Options)!;
}
