using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;
using PatrawinConnector.Api.Health;
using PatrawinConnector.Api.Logging;
using PatrawinConnector.Api.Ops;
using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Api.Composition;

/// <summary>
/// Binds the flat environment variables of docs/configuration.md to the options classes. Values are trimmed and an
/// empty value counts as unset (as the Java connector read them); a value of the wrong type stops start-up with one
/// line naming the variable and an example, before anything else runs.
/// </summary>
public static class Options
{
    public static WebApplicationBuilder AddConnectorOptions(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var problems = new List<string>();
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Normalise<HostingOptions>(configuration, overrides, problems);
        Normalise<StateOptions>(configuration, overrides, problems);
        Normalise<PatrawinOptions>(configuration, overrides, problems);
        Normalise<WiseTimeOptions>(configuration, overrides, problems);
        Normalise<TagOptions>(configuration, overrides, problems);
        Normalise<PostedTimeOptions>(configuration, overrides, problems);
        Normalise<ActivityTypeOptions>(configuration, overrides, problems);
        Normalise<JobStoreOptions>(configuration, overrides, problems);
        Normalise<HealthOptions>(configuration, overrides, problems);
        Normalise<OpsOptions>(configuration, overrides, problems);
        Normalise<CloudWatchOptions>(configuration, overrides, problems);
        Normalise<ExternalHoursOptions>(configuration, overrides, problems);
        if (problems.Count > 0)
        {
            throw new ConnectorConfigurationException(problems);
        }
        configuration.AddInMemoryCollection(overrides);

        var services = builder.Services;
        services.AddSingleton<IValidateOptions<HostingOptions>, HostingOptionsValidator>();
        services.AddSingleton<IValidateOptions<JobStoreOptions>, JobStoreOptionsValidator>();
        Bind<HostingOptions>(services, configuration);
        Bind<StateOptions>(services, configuration);
        Bind<PatrawinOptions>(services, configuration);
        Bind<WiseTimeOptions>(services, configuration);
        Bind<TagOptions>(services, configuration);
        Bind<PostedTimeOptions>(services, configuration);
        Bind<ActivityTypeOptions>(services, configuration);
        Bind<JobStoreOptions>(services, configuration);
        Bind<HealthOptions>(services, configuration);
        Bind<OpsOptions>(services, configuration);
        Bind<CloudWatchOptions>(services, configuration);
        Bind<ExternalHoursOptions>(services, configuration);
        services.AddSingleton<IValidateOptions<CloudWatchOptions>, CloudWatchOptionsValidator>();
        return builder;
    }

    private static void Bind<T>(IServiceCollection services, IConfiguration configuration)
        where T : class => services.AddOptions<T>().Bind(configuration).ValidateOnStart();

    /// <summary>Trims each of T's settings, drops empty ones, and checks that numbers, booleans and enums parse.</summary>
    private static void Normalise<T>(IConfiguration configuration, Dictionary<string, string?> overrides, List<string> problems)
        where T : new()
    {
        var defaults = new T();
        foreach (var property in typeof(T).GetProperties())
        {
            if (property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name is not { } key || configuration[key] is not { } raw)
            {
                continue;
            }

            var value = raw.Trim();
            if (value.Length == 0)
            {
                overrides[key] = null;
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var example = $"{key}={ExampleOf(property, type, defaults)}";
            if (type == typeof(int) && !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"{key} '{value}' is not a whole number. Example: {example}");
            }
            else if (type == typeof(bool) && !bool.TryParse(value, out _))
            {
                problems.Add($"{key} '{value}' is neither true nor false. Example: {example}");
            }
            else if (type.IsEnum)
            {
                var name = value.Replace("_", string.Empty, StringComparison.Ordinal);
                if (!Enum.TryParse(type, name, ignoreCase: true, out _) || int.TryParse(name, out _))
                {
                    problems.Add($"{key} '{value}' is not one of {string.Join(", ", Enum.GetNames(type).Select(SettingName))}. Example: {example}");
                }
                value = name;
            }
            overrides[key] = value;
        }
    }

    private static string ExampleOf(PropertyInfo property, Type type, object defaults) =>
        property.GetValue(defaults) switch
        {
            Enum e => SettingName(e.ToString()),
            bool b => b ? "true" : "false",
            { } v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty,
            null when type == typeof(int) => "1",
            null => "…",
        };

    /// <summary>LongPoll → LONG_POLL: enum members as the settings spell them.</summary>
    private static string SettingName(string member) =>
        string.Concat(member.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
