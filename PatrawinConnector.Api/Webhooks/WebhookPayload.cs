using System.Buffers;
using System.Text.Json;

namespace PatrawinConnector.Api.Webhooks;

/// <summary>
/// The webhook's body, read once (at most <see cref="WebhookRoutes.MaxBodyBytes"/>) and parsed once as JSON,
/// shared by the caller-key middleware and the controller through the request's items.
/// </summary>
internal sealed class WebhookPayload
{
    private static readonly object ItemKey = new();

    private WebhookPayload(JsonDocument? document, string? problem)
    {
        Document = document;
        Problem = problem;
    }

    /// <summary>The body as a JSON object, or null when <see cref="Problem"/> says why not.</summary>
    public JsonDocument? Document { get; }

    public string? Problem { get; }

    public static async ValueTask<WebhookPayload> ReadAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is WebhookPayload payload)
        {
            return payload;
        }

        payload = await ParseAsync(context.Request, context.RequestAborted);
        if (payload.Document is not null)
        {
            context.Response.RegisterForDispose(payload.Document);
        }
        context.Items[ItemKey] = payload;
        return payload;
    }

    private static async Task<WebhookPayload> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > WebhookRoutes.MaxBodyBytes)
        {
            return TooLarge;
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(8192), ct);
            if (read == 0)
            {
                break;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > WebhookRoutes.MaxBodyBytes)
            {
                return TooLarge;
            }
        }

        if (buffer.WrittenCount == 0)
        {
            return new WebhookPayload(null, "Invalid request: the body is empty; it must be a WiseTime time group in JSON.");
        }

        try
        {
            var document = JsonDocument.Parse(buffer.WrittenMemory);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return new WebhookPayload(document, null);
            }
            document.Dispose();
            return new WebhookPayload(null, "Invalid request: the body must be a JSON object (a WiseTime time group).");
        }
        catch (JsonException e)
        {
            return new WebhookPayload(null, $"Invalid request: the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
    }

    private static WebhookPayload TooLarge =>
        new(null, $"Invalid request: the body is larger than {WebhookRoutes.MaxBodyBytes / 1024 / 1024} MiB, far more than any time group.");
}
