namespace PatrawinConnector.Api.Composition;

/// <summary>Settings that cannot start the connector; each problem is one line naming the variable and a valid example.</summary>
public sealed class ConnectorConfigurationException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
