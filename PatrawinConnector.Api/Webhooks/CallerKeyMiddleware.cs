using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.PostedTime;

namespace PatrawinConnector.Api.Webhooks;

/// <summary>
/// Authenticates the posted-time webhook before anything else looks at the request: the body's callerKey must equal
/// CALLER_KEY (rule R2). The comparison takes the same time wherever the keys differ and whatever their lengths.
/// A wrong key is a permanent failure (400): retrying cannot fix it.
/// </summary>
internal sealed class CallerKeyMiddleware(RequestDelegate next, IOptions<PostedTimeOptions> options, ILogger<CallerKeyMiddleware> logger)
{
    public const string CallerKeyProperty = "callerKey";
    public const string InvalidCallerKey = "Invalid caller key in posted time webhook call";

    private readonly byte[]? _expectedHash = string.IsNullOrEmpty(options.Value.CallerKey)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.CallerKey));

    public async Task InvokeAsync(HttpContext context)
    {
        if (_expectedHash is null)
        {
            await next(context);
            return;
        }

        var payload = await WebhookPayload.ReadAsync(context);
        if (payload.Document is null)
        {
            await WriteBadRequestAsync(context, payload.Problem!);
            return;
        }

        if (!Matches(payload.Document.RootElement))
        {
            logger.LogWarning("Refused a posted-time webhook call from {RemoteAddress}: missing or wrong caller key",
                context.Connection.RemoteIpAddress?.ToString());
            await WriteBadRequestAsync(context, InvalidCallerKey);
            return;
        }

        await next(context);
    }

    private bool Matches(JsonElement body)
    {
        var given = body.TryGetProperty(CallerKeyProperty, out var key) && key.ValueKind == JsonValueKind.String
            ? key.GetString() ?? string.Empty
            : string.Empty;
        // Hashing first makes the comparison independent of the given key's length.
        var givenHash = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        return CryptographicOperations.FixedTimeEquals(givenHash, _expectedHash) & given.Length > 0;
    }

    private static Task WriteBadRequestAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(reason, context.RequestAborted);
    }
}
