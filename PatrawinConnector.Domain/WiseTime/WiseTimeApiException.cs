using System.Net;

namespace PatrawinConnector.Domain.WiseTime;

public enum WiseTimeErrorCategory
{
    /// <summary>5xx, timeouts, network faults: worth retrying later.</summary>
    Transient,
    /// <summary>429: back off, honouring Retry-After.</summary>
    RateLimited,
    /// <summary>401/403: the API key is wrong; retrying will not help until an operator fixes it.</summary>
    Auth,
    /// <summary>404 on an endpoint or a 409 mode conflict: the connector or the team is misconfigured.</summary>
    Config,
    /// <summary>400/402 and the rest: this request will never succeed as it is.</summary>
    Permanent,
}

/// <summary>A WiseTime call that did not succeed; <see cref="Category"/> tells the caller what to do about it.</summary>
public sealed class WiseTimeApiException(WiseTimeErrorCategory category, string message, HttpStatusCode? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public WiseTimeErrorCategory Category { get; } = category;
    public HttpStatusCode? StatusCode { get; } = statusCode;

    public bool IsTransient => Category is WiseTimeErrorCategory.Transient or WiseTimeErrorCategory.RateLimited;

    /// <summary>The one place a status code becomes a category.</summary>
    public static WiseTimeErrorCategory Classify(HttpStatusCode status) => (int)status switch
    {
        429 => WiseTimeErrorCategory.RateLimited,
        401 or 403 => WiseTimeErrorCategory.Auth,
        404 or 409 => WiseTimeErrorCategory.Config,
        408 or >= 500 => WiseTimeErrorCategory.Transient,
        _ => WiseTimeErrorCategory.Permanent,
    };
}
