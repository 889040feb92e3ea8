namespace Lgsp.Server.Tests.Support;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "lgsp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("lgsp.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>A path below the repository root.</summary>
    public static string File(params string[] parts) => Path.Combine([RootPath.Value, .. parts]);

    /// <summary>A sample package from the national SDK (samples/vxp-sdk), as bytes.</summary>
    public static byte[] SdkSample(string name) => System.IO.File.ReadAllBytes(File("samples", "vxp-sdk", name));
}
