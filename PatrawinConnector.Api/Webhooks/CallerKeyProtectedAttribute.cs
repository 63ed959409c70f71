namespace PatrawinConnector.Api.Webhooks;

/// <summary>
/// Marks the endpoint whose body must carry CALLER_KEY. The middleware is mounted on the routed endpoint, not on a path
/// string, so that every spelling that reaches the action (a trailing slash, other casing) is checked.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CallerKeyProtectedAttribute : Attribute
{
    public static bool Applies(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<CallerKeyProtectedAttribute>() is not null;
}
