namespace PatrawinConnector.Domain.WiseTime.Contracts;

// Connect API request and response bodies the connector uses, named as the schemas in wisetime-connect-openapi.yaml.
// A test validates every body the client sends against that document.

public sealed record TeamInfoResult(string? TeamName);

public sealed record UpsertTagRequest
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? Path { get; init; }
    public IReadOnlyList<string>? AdditionalKeywords { get; init; }
    public string? ExternalId { get; init; }
    public string? Url { get; init; }
}

public sealed record BatchUpsertTagRequest(IReadOnlyList<UpsertTagRequest> Tags);

public sealed record ErrorItem(int Index, string? ErrorDescription);

public sealed record BatchUpsertTagResponse(IReadOnlyList<ErrorItem>? Errors);

public sealed record DeleteTagRequest(string Name);

public sealed record SyncSession(string SyncSessionId);

public sealed record ActivityType
{
    public required string Code { get; init; }
    public string? Label { get; init; }
    public string? Description { get; init; }
    public bool? EnableIfNew { get; init; }
}

public sealed record SyncActivityTypesRequest(IReadOnlyList<ActivityType> ActivityTypes, string? SyncSessionId);

public sealed record SyncActivityTypesResponse(IReadOnlyList<ErrorItem>? Errors);

public sealed record RegisterFetchClientRequest;

public static class TimeGroupStatuses
{
    public const string Success = "SUCCESS";
    public const string Failure = "FAILURE";
    public const string RetriableFailure = "RETRIABLE_FAILURE";
}

public sealed record TimeGroupStatus(string TimeGroupId, string Status, string? Message = null, string? ExternalId = null);
