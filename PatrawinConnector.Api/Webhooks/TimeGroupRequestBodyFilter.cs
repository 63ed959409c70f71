using Microsoft.OpenApi;
using PatrawinConnector.Domain.WiseTime.Contracts;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PatrawinConnector.Api.Webhooks;

/// <summary>Documents the webhook's body (read by hand, so that type errors get a clear answer) as a TimeGroup.</summary>
internal sealed class TimeGroupRequestBodyFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.MethodInfo.Name != nameof(TimePostedWebhookController.ReceiveTimePostedEvent))
        {
            return;
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "A WiseTime time group (Connect API schema TimeGroup), at most 1 MiB.",
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(TimeGroup), context.SchemaRepository) },
            },
        };
    }
}
