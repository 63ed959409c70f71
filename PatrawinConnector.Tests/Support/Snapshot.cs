namespace PatrawinConnector.Tests.Support;

/// <summary>
/// Compares text with a file committed under Snapshots/. A missing or different snapshot fails the test; run with
/// UPDATE_SNAPSHOTS=1 to write the new text, then review the diff before committing it.
/// </summary>
public static class Snapshot
{
    public static void Match(string name, string actual)
    {
        var directory = Path.Combine(RepositoryFiles.TestProject(), "Snapshots");
        var file = Path.Combine(directory, name);
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(file, actual);
            return;
        }

        Assert.That(File.Exists(file), Is.True, $"Snapshot {name} is missing; run the tests with UPDATE_SNAPSHOTS=1 to create it.");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(file)), $"Snapshot {name} differs; if the change is intended, run with UPDATE_SNAPSHOTS=1.");
    }
}
