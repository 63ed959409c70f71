using System.Globalization;

namespace PatrawinConnector.Api.Health;

/// <summary>
/// <c>dotnet PatrawinConnector.Api.dll healthcheck [URL]</c>: GET /health/live on the local connector and exit 0 when it
/// answers 200, 1 otherwise. Docker's HEALTHCHECK uses it; the default URL follows WEBHOOK_PORT.
/// </summary>
public static class LivenessProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("WEBHOOK_PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 8080;
        var url = args.FirstOrDefault() ?? $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/health/live";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            await Console.Out.WriteLineAsync($"{(int)response.StatusCode} {url}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }
}
