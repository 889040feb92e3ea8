using System.CommandLine;

namespace Lgsp.Cli.Commands;

/// <summary>Options several commands share, so they are spelled the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Machine-readable JSON output." };

    public static Option<bool> Vietnamese() => new("--vi") { Description = "Messages in Vietnamese (Thông báo bằng tiếng Việt)." };

    public static Option<FileInfo?> Out(string what) => new("--out", "-o") { Description = $"Where to write {what} (default: standard output)." };

    /// <summary>Writes bytes to the --out file, or to standard output when none is given.</summary>
    public static void WriteResult(byte[] bytes, FileInfo? output)
    {
        if (output is null)
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(bytes);
            return;
        }

        File.WriteAllBytes(output.FullName, bytes);
    }
}
