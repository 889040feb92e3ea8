namespace Lgsp.TestSupport;

/// <summary>Locates files of the repository (the folder holding lgsp.sln) from a test's output folder.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "lgsp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("lgsp.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string Path => Root.Value;

    /// <summary>A path below the repository root.</summary>
    public static string File(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
