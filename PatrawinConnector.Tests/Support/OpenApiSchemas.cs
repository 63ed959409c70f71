using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace PatrawinConnector.Tests.Support;

/// <summary>
/// The Connect API document (Fixtures/wisetime-connect-openapi.yaml, WiseTime's own) and a validator for the part of
/// JSON Schema it uses: $ref, oneOf, object properties (no others allowed unless additionalProperties), required, arrays,
/// strings with enums, integers, numbers and booleans.
/// </summary>
public sealed class OpenApiSchemas
{
    private readonly YamlMappingNode _root;

    private OpenApiSchemas(YamlMappingNode root) => _root = root;

    public static OpenApiSchemas Load()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(Fixtures.Read("wisetime-connect-openapi.yaml"));
        yaml.Load(reader);
        return new OpenApiSchemas((YamlMappingNode)yaml.Documents[0].RootNode);
    }

    /// <summary>The request body schema of an operation, or null when it takes none; throws when the operation does not exist.</summary>
    public YamlMappingNode? RequestBodySchema(string method, string path)
    {
        var paths = (YamlMappingNode)_root["paths"];
        if (!paths.Children.TryGetValue(new YamlScalarNode(path), out var item) ||
            !((YamlMappingNode)item).Children.TryGetValue(new YamlScalarNode(method.ToLowerInvariant()), out var operation))
        {
            throw new AssertionException($"The Connect API has no {method} {path}");
        }
        return ((YamlMappingNode)operation).Children.TryGetValue(new YamlScalarNode("requestBody"), out var body)
            ? (YamlMappingNode)body["content"]["application/json"]["schema"]
            : null;
    }

    public List<string> Validate(JsonElement value, YamlMappingNode schema, string at = "$")
    {
        var errors = new List<string>();
        Check(value, schema, at, errors);
        return errors;
    }

    private void Check(JsonElement value, YamlMappingNode schema, string at, List<string> errors)
    {
        if (Scalar(schema, "$ref") is { } reference)
        {
            Check(value, Resolve(reference), at, errors);
            return;
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("oneOf"), out var oneOf))
        {
            var alternatives = ((YamlSequenceNode)oneOf).Children.Cast<YamlMappingNode>().ToList();
            if (!alternatives.Any(a => Validate(value, a, at).Count == 0))
            {
                errors.Add($"{at}: matches none of the oneOf schemas");
            }
            return;
        }

        switch (Scalar(schema, "type"))
        {
            case "object":
                CheckObject(value, schema, at, errors);
                break;
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{at}: expected an array, got {value.ValueKind}");
                    break;
                }
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, (YamlMappingNode)schema["items"], $"{at}[{i++}]", errors);
                }
                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    errors.Add($"{at}: expected a string, got {value.ValueKind}");
                }
                else if (schema.Children.TryGetValue(new YamlScalarNode("enum"), out var values) &&
                         !((YamlSequenceNode)values).Children.Select(v => ((YamlScalarNode)v).Value).Contains(value.GetString()))
                {
                    errors.Add($"{at}: '{value.GetString()}' is not one of the enum values");
                }
                break;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
                {
                    errors.Add($"{at}: expected an integer, got {value}");
                }
                break;
            case "number":
                if (value.ValueKind != JsonValueKind.Number)
                {
                    errors.Add($"{at}: expected a number, got {value.ValueKind}");
                }
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add($"{at}: expected a boolean, got {value.ValueKind}");
                }
                break;
            case null when schema.Children.Count == 0:
                break;
            case var other:
                errors.Add($"{at}: the validator does not know schema type '{other}'");
                break;
        }
    }

    private void CheckObject(JsonElement value, YamlMappingNode schema, string at, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected an object, got {value.ValueKind}");
            return;
        }

        var properties = schema.Children.TryGetValue(new YamlScalarNode("properties"), out var p) ? (YamlMappingNode)p : new YamlMappingNode();
        var additional = schema.Children.TryGetValue(new YamlScalarNode("additionalProperties"), out var a) ? a as YamlMappingNode : null;
        foreach (var property in value.EnumerateObject())
        {
            if (properties.Children.TryGetValue(new YamlScalarNode(property.Name), out var propertySchema))
            {
                Check(property.Value, (YamlMappingNode)propertySchema, $"{at}.{property.Name}", errors);
            }
            else if (additional is not null)
            {
                Check(property.Value, additional, $"{at}.{property.Name}", errors);
            }
            else
            {
                errors.Add($"{at}.{property.Name}: not a property of the schema");
            }
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("required"), out var required))
        {
            foreach (var name in ((YamlSequenceNode)required).Children.Select(r => ((YamlScalarNode)r).Value!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{at}.{name}: required but missing");
                }
            }
        }
    }

    private YamlMappingNode Resolve(string reference)
    {
        const string Prefix = "#/components/schemas/";
        Assert.That(reference, Does.StartWith(Prefix));
        return (YamlMappingNode)_root["components"]["schemas"][reference[Prefix.Length..]];
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
