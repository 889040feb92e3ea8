namespace Lgsp.Bench;

// The report's lines and units, progress messages, and the machine's description.
internal sealed partial class AcceptBench
{
    private void Line(string text = "") => _report.AppendLine(text);

    /// <summary>Progress goes to standard error; the report alone to standard output.</summary>
    internal static void Say(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.00" : "0.0", Inv) + " ms";

    private static string Kb(double bytes) => (bytes / 1000).ToString("0.0", Inv) + " KB";

    private static string MemoryGiB()
    {
        var kb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return (long.Parse(kb, Inv) / 1048576.0).ToString("0", Inv);
    }

    /// <summary>The file system type holding <paramref name="path"/> (a tmpfs makes fsync meaningless).</summary>
    private static string FileSystemOf(string path)
    {
        var best = ("", "?");
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var parts = line.Split(' ');
            if (parts.Length > 2 && path.StartsWith(parts[1], StringComparison.Ordinal) && parts[1].Length >= best.Item1.Length)
            {
                best = (parts[1], parts[2]);
            }
        }

        return $"{best.Item2} mounted on {best.Item1}";
    }
}
