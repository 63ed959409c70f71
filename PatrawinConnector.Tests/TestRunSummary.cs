using NUnit.Framework;

/// <summary>Prints "N passed, M failed, K skipped" on a line of its own at the end of the run (outside any namespace on purpose).</summary>
[SetUpFixture]
public sealed class TestRunSummary
{
    [OneTimeTearDown]
    public void PrintSummary()
    {
        var result = TestContext.CurrentContext.Result;
        TestContext.Error.WriteLine($"{result.PassCount} passed, {result.FailCount} failed, {result.SkipCount} skipped");
    }
}
