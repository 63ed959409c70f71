using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.PostedTime;

namespace PatrawinConnector.Api.Webhooks;

/// <summary>
/// WiseTime's posted-time webhook. Answers as the Connect API's callback contract says: 200 posted (or posted before),
/// 400 text/plain for a permanent failure (WiseTime shows it and does not retry), 500 text/plain for a transient one
/// (WiseTime retries). The caller key has already been checked by <see cref="CallerKeyMiddleware"/>.
/// </summary>
[ApiController]
public sealed class TimePostedWebhookController(PostingService posting, IOptions<PostedTimeOptions> options) : ControllerBase
{
    private const string TextPlain = "text/plain; charset=utf-8";

    /// <summary>Posts a WiseTime time group into Patrawin.</summary>
    [HttpPost(WebhookRoutes.ReceiveTimePostedEvent)]
    [CallerKeyProtected]
    [Produces("text/plain")]
    [ProducesResponseType<string>(StatusCodes.Status200OK)]
    [ProducesResponseType<string>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<string>(StatusCodes.Status500InternalServerError)]
    public async Task<ContentResult> ReceiveTimePostedEvent(CancellationToken cancellationToken)
    {
        if (options.Value.ReceivePostedTime != ReceivePostedTimeMode.Webhook)
        {
            return Text(StatusCodes.Status400BadRequest,
                $"This connector does not receive posted time by webhook (RECEIVE_POSTED_TIME={(options.Value.ReceivePostedTime == ReceivePostedTimeMode.LongPoll ? "LONG_POLL" : "DISABLED")}).");
        }

        if (!Request.HasJsonContentType())
        {
            return Text(StatusCodes.Status400BadRequest,
                $"Invalid request: the content type must be application/json, not {Request.ContentType ?? "missing"}.");
        }

        var payload = await WebhookPayload.ReadAsync(HttpContext);
        if (payload.Document is null)
        {
            return Text(StatusCodes.Status400BadRequest, payload.Problem!);
        }

        if (!TimeGroupReader.TryRead(payload.Document.RootElement, out var group, out var problem))
        {
            return Text(StatusCodes.Status400BadRequest, problem);
        }

        var outcome = await posting.PostAsync(group, cancellationToken);
        return outcome switch
        {
            PostingOutcome.Posted or PostingOutcome.AlreadyPosted => Text(StatusCodes.Status200OK, outcome.Message),
            PostingOutcome.Rejected => Text(StatusCodes.Status400BadRequest, outcome.Message),
            PostingOutcome.Failed => Text(StatusCodes.Status500InternalServerError, outcome.Message),
            _ => throw new UnreachableException($"Unknown posting outcome {outcome.GetType().Name}"),
        };
    }

    /// <summary>Liveness of the webhook, as the Java connector answered it.</summary>
    [HttpGet(WebhookRoutes.Ping)]
    [Produces("text/plain")]
    public ContentResult Ping() => Text(StatusCodes.Status200OK, "pong");

    private static ContentResult Text(int status, string text) => new() { StatusCode = status, ContentType = TextPlain, Content = text };
}
