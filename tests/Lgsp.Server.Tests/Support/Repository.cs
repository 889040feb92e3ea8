using Lgsp.TestSupport;

namespace Lgsp.Server.Tests.Support;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class Repository
{
    /// <summary>A path below the repository root.</summary>
    public static string File(params string[] parts) => RepositoryRoot.File(parts);

    /// <summary>A sample package from the national SDK (samples/vxp-sdk), as bytes.</summary>
    public static byte[] SdkSample(string name) => System.IO.File.ReadAllBytes(File("samples", "vxp-sdk", name));
}
