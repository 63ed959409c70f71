using System.Globalization;
using Microsoft.Extensions.Options;
using Hangfire;
using Microsoft.OpenApi;
using PatrawinConnector.Api.Ops;
using PatrawinConnector.Api.Security;
using PatrawinConnector.Api.Webhooks;

namespace PatrawinConnector.Api.Composition;

public static class Hosting
{
    public static WebApplicationBuilder AddConnectorHosting(this WebApplicationBuilder builder)
    {
        var hosting = builder.Configuration.Get<HostingOptions>() ?? new HostingOptions();
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls($"http://+:{hosting.WebhookPort.ToString(CultureInfo.InvariantCulture)}");
        }

        builder.AddConnectorLogging(hosting);

        builder.Services.AddControllers()
            .AddJsonOptions(json => json.JsonSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddSingleton<IValidateOptions<OpsOptions>, OpsOptionsValidator>();
        builder.Services.AddAntiforgery();   // Hangfire's dashboard checks its POSTs' tokens when antiforgery is registered
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ConnectorExceptionHandler>();
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Patrawin Connector",
                Version = "v1",
                Description = "Posts WiseTime time into Patrawin and keeps WiseTime's tags in step with Patrawin.",
            });
            swagger.OperationFilter<TimeGroupRequestBodyFilter>();
        });
        return builder;
    }

    public static WebApplication UseConnectorPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWhen(OpsAccessMiddleware.Applies, ops => ops.UseMiddleware<OpsAccessMiddleware>());
        app.UseHangfireDashboard(HangfireDashboard.Path, HangfireDashboard.Options());
        app.UseRouting();
        app.UseWhen(CallerKeyProtectedAttribute.Applies, webhook => webhook.UseMiddleware<CallerKeyMiddleware>());
        return app;
    }

    public static WebApplication MapConnectorEndpoints(this WebApplication app)
    {
        app.MapControllers();
        app.MapGet("/ops", OpsDashboard.Page).ExcludeFromDescription();
        app.UseSwagger();
        app.UseSwaggerUI();
        return app;
    }
}
