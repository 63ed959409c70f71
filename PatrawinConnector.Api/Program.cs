using Microsoft.Extensions.Options;
using PatrawinConnector.Api.Composition;
using PatrawinConnector.Api.Health;
using PatrawinConnector.Domain;

if (args is ["healthcheck", ..])
{
    // The container's HEALTHCHECK: the runtime image has no curl, so the connector probes itself.
    return await LivenessProbe.RunAsync(args[1..]);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddConnectorOptions();
    builder.AddConnectorHosting();
    builder.AddConnectorDomain();
    builder.AddConnectorJobs();
    builder.AddConnectorHealth();
    builder.AddConnectorStartup();

    var app = builder.Build();
    app.UseConnectorPipeline();
    app.MapConnectorEndpoints();
    await app.RunAsync();
    return Environment.ExitCode;   // 3 when the self-check stopped the connector
}
catch (ConnectorConfigurationException e)
{
    foreach (var problem in e.Problems)
    {
        await Console.Error.WriteLineAsync($"Configuration error: {problem}");
    }
    return 2;
}
catch (Exception e) when (e is OptionsValidationException || (e is AggregateException all && all.InnerExceptions.All(i => i is OptionsValidationException)))
{
    var failures = e is AggregateException aggregate ? aggregate.InnerExceptions.Cast<OptionsValidationException>() : [(OptionsValidationException)e];
    foreach (var problem in failures.SelectMany(f => f.Failures))
    {
        await Console.Error.WriteLineAsync($"Configuration error: {problem}");
    }
    return 2;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
