namespace Lgsp.Edxml.Tests.Support;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "lgsp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("lgsp.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (the folder holding lgsp.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the repository root.</summary>
    public static string Path_(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A sample package from the national SDK (samples/vxp-sdk).</summary>
    public static string Sample(string name) => Path.Combine(Root, "samples", "vxp-sdk", name);

    /// <summary>A fresh empty temporary folder, deleted when the process ends is not guaranteed: callers clean up.</summary>
    public static DirectoryInfo TempFolder() => Directory.CreateTempSubdirectory("lgsp-test-");
}
