namespace PatrawinConnector.Tests.Tds;

/// <summary>
/// Creates the TDS Patrawin once for every fixture in this namespace. The server itself is started by ./test.sh
/// (scripts/babelfish.sh); when it is not running the suite fails here with what to do, it is never skipped.
/// </summary>
[SetUpFixture]
public sealed class TdsSuite
{
    private static TdsPatrawin? _patrawin;

    public static TdsPatrawin Patrawin => _patrawin ?? throw new InvalidOperationException("The TDS Patrawin was not created.");

    [OneTimeSetUp]
    public async Task CreatePatrawin() => _patrawin = await TdsPatrawin.CreateAsync();
}
