using System.Collections.Concurrent;
using System.Net;

namespace PatrawinConnector.Tests.Support;

/// <summary>An HttpMessageHandler that answers from a script and keeps every request (with its body) it saw.</summary>
public sealed class StubHandler(Func<HttpRequestMessage, string, HttpResponseMessage> respond) : HttpMessageHandler
{
    public ConcurrentQueue<(HttpRequestMessage Request, string Body)> Requests { get; } = new();

    public static StubHandler Always(HttpStatusCode status, string body = "{}") =>
        new((_, _) => new HttpResponseMessage(status) { Content = new StringContent(body) });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue((request, body));
        return respond(request, body);
    }
}
