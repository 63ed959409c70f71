namespace PatrawinConnector.Api.Webhooks;

public static class WebhookRoutes
{
    /// <summary>The path existing WiseTime webhook registrations already call.</summary>
    public const string ReceiveTimePostedEvent = "/receiveTimePostedEvent";
    public const string Ping = "/ping";

    /// <summary>Largest time group body accepted: far above any real group (a few KiB), small enough to refuse abuse.</summary>
    public const int MaxBodyBytes = 1024 * 1024;
}
