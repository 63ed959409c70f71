using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PatrawinConnector.Domain.WiseTime;

/// <summary>The WiseTime Connect API over HTTP. Base address and x-api-key are set when the client is registered.</summary>
public sealed class WiseTimeHttpClient(HttpClient http, ILogger<WiseTimeHttpClient> logger) : IWiseTimeClient
{
    public const string ApiKeyHeader = "x-api-key";

    public async Task<TagDeleteOutcome> TagDeleteAsync(string tagName, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "tag/delete", new { name = tagName }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            logger.LogInformation("WiseTime tag {TagName} was already deleted", tagName);
            return TagDeleteOutcome.AlreadyGone;
        }

        await EnsureSuccessAsync(response, "tag/delete", cancellationToken);
        return TagDeleteOutcome.Deleted;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: WiseTimeJson.Options);
        }

        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, $"WiseTime could not be reached ({path}): {e.Message}", inner: e);
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
