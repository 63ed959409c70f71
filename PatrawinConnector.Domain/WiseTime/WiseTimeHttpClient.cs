using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PatrawinConnector.Domain.WiseTime.Contracts;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PatrawinConnector.Domain.WiseTime;

/// <summary>
/// The WiseTime Connect API over HTTP. Base address, x-api-key and the resilience pipeline (timeouts, retries with
/// jittered backoff, Retry-After, circuit breaker) are set when the client is registered.
/// </summary>
public sealed class WiseTimeHttpClient(HttpClient http, ILogger<WiseTimeHttpClient> logger) : IWiseTimeClient
{
    public const string ApiKeyHeader = "x-api-key";

    public async Task<TeamInfoResult> GetTeamInfoAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "team/info", null, cancellationToken);
        await EnsureSuccessAsync(response, "team/info", cancellationToken);
        return await ReadAsync<TeamInfoResult>(response, "team/info", cancellationToken);
    }

    public async Task TagUpsertAsync(UpsertTagRequest tag, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "tag", tag, cancellationToken);
        await EnsureSuccessAsync(response, "tag", cancellationToken);
    }

    public async Task<BatchUpsertTagResponse> BatchTagUpsertAsync(IReadOnlyList<UpsertTagRequest> tags, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "tag/batch", new BatchUpsertTagRequest(tags), cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest && await TryReadErrorsAsync(response, cancellationToken) is { Count: > 0 } errors)
        {
            return new BatchUpsertTagResponse(errors);   // per-item refusals: the caller logs and skips those items
        }
        await EnsureSuccessAsync(response, "tag/batch", cancellationToken);
        return new BatchUpsertTagResponse(await TryReadErrorsAsync(response, cancellationToken) ?? []);
    }

    public async Task<TagDeleteOutcome> TagDeleteAsync(string tagName, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "tag/delete", new DeleteTagRequest(tagName), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            logger.LogInformation("WiseTime tag {TagName} was already deleted", tagName);
            return TagDeleteOutcome.AlreadyGone;
        }

        await EnsureSuccessAsync(response, "tag/delete", cancellationToken);
        return TagDeleteOutcome.Deleted;
    }

    public async Task<SyncSession> ActivityTypeSyncStartAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "activitytype/sync/start", null, cancellationToken);
        await EnsureSuccessAsync(response, "activitytype/sync/start", cancellationToken);
        var session = await ReadAsync<SyncSession>(response, "activitytype/sync/start", cancellationToken);
        return string.IsNullOrEmpty(session.SyncSessionId)
            ? throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, "WiseTime started an activity type sync without a session id")
            : session;
    }

    public async Task<SyncActivityTypesResponse> ActivityTypeUpsertBatchAsync(SyncActivityTypesRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "activitytype/batch", request, cancellationToken);
        await EnsureSuccessAsync(response, "activitytype/batch", cancellationToken);
        return new SyncActivityTypesResponse(await TryReadErrorsAsync(response, cancellationToken) ?? []);
    }

    public async Task ActivityTypeSyncCompleteAsync(SyncSession session, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "activitytype/sync/complete", session, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && response.RequestMessage?.Options.TryGetValue(ResilienceHandler.Attempts, out var attempts) == true && attempts > 1)
        {
            // The first attempt completed the session but its answer was lost; the retry finds it closed.
            logger.LogInformation("Activity type sync session {SessionId} was already completed", session.SyncSessionId);
            return;
        }
        await EnsureSuccessAsync(response, "activitytype/sync/complete", cancellationToken);
    }

    public async Task ActivityTypeSyncCancelAsync(SyncSession session, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "activitytype/sync/cancel", session, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)   // already closed or expired: nothing left to cancel
        {
            await EnsureSuccessAsync(response, "activitytype/sync/cancel", cancellationToken);
        }
    }

    public async Task<bool> RegisterForFetchAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "postedtime/registerfetchclient", new RegisterFetchClientRequest(), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
        await EnsureSuccessAsync(response, "postedtime/registerfetchclient", cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<TimeGroup>> FetchPostedTimeAsync(int limit, CancellationToken cancellationToken)
    {
        var path = $"postedtime?limit={limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken, longPoll: true);
        await EnsureSuccessAsync(response, "postedtime", cancellationToken);
        return await ReadAsync<List<TimeGroup>>(response, "postedtime", cancellationToken);
    }

    public async Task UpdatePostedTimeStatusAsync(TimeGroupStatus status, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "postedtime/status", status, cancellationToken);
        await EnsureSuccessAsync(response, "postedtime/status", cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct, bool longPoll = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (longPoll)
        {
            request.Options.Set(WiseTimeResilience.LongPoll, true);
        }
        if (body is not null)
        {
            // Written at once rather than streamed: a body of 500 tags is past what System.Text.Json writes by its
            // generated code when streaming, and a retry sends the same bytes again.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), WiseTimeJson.Options))
            {
                Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            };
        }

        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            response.RequestMessage ??= request;   // for its options (how many attempts were made)
            return response;
        }
        catch (HttpRequestException e)
        {
            throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, $"WiseTime could not be reached ({path}): {e.Message}", inner: e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, $"WiseTime did not answer in time ({path})", inner: e);
        }
        catch (BrokenCircuitException e)
        {
            throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, $"WiseTime calls are paused after repeated failures ({path})", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, $"WiseTime did not answer in time ({path})", inner: e);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var category = WiseTimeApiException.Classify(response.StatusCode);
        var apiMessage = await ReadMessageAsync(response, ct);
        logger.LogWarning("WiseTime answered {StatusCode} to {Path}: {ApiMessage}", (int)response.StatusCode, path, apiMessage);
        throw new WiseTimeApiException(category, $"WiseTime answered {(int)response.StatusCode} to {path}: {apiMessage}", response.StatusCode);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string path, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(WiseTimeJson.Options, ct)
                   ?? throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, $"WiseTime answered {path} with an empty body");
        }
        catch (JsonException e)
        {
            throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, $"WiseTime answered {path} with something that is not the expected JSON", inner: e);
        }
    }

    /// <summary>The errors array of a BatchUpsertTagResponse or SyncActivityTypesResponse; null when the body has none.</summary>
    private static async Task<IReadOnlyList<ErrorItem>?> TryReadErrorsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                return errors.Deserialize<List<ErrorItem>>(WiseTimeJson.Options);
            }
            return null;
        }
        catch (JsonException) when (response.IsSuccessStatusCode)
        {
            throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, "WiseTime answered with something that is not JSON");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<string> ReadMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (text.Length > 500)
        {
            text = text[..500] + "…";
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // not JSON: the raw text is the message
        }
        return string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? "no message" : text;
    }
}
