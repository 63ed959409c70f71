using System.Runtime.CompilerServices;

namespace PatrawinConnector.Tests.Support;

/// <summary>Files of the repository itself (docs, docker/, snapshots), found from this source file's location.</summary>
public static class RepositoryFiles
{
    public static string Root([CallerFilePath] string caller = "") => Above(caller, d => File.Exists(System.IO.Path.Combine(d.FullName, "PatrawinConnector.sln")));

    public static string Path(string relative) => System.IO.Path.Combine(Root(), relative);

    /// <summary>The test project's own directory (the one with the .csproj).</summary>
    public static string TestProject([CallerFilePath] string caller = "") => Above(caller, d => d.EnumerateFiles("*.csproj").Any());

    private static string Above(string file, Func<DirectoryInfo, bool> found)
    {
        var directory = new DirectoryInfo(System.IO.Path.GetDirectoryName(file)!);
        while (directory is not null && !found(directory))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException($"Nothing found above {file}");
    }
}
