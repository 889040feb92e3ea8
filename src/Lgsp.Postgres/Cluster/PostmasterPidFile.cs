using System.Globalization;

namespace Lgsp.Postgres.Cluster;

/// <summary>The lock file a postmaster writes into its data directory (<c>postmaster.pid</c>):
/// line 1 the PID, 2 the data directory, 3 the start time, 4 the port, 5 the socket directory,
/// 6 the listen address, 7 the shared memory key, 8 the status (<c>starting</c>, <c>ready</c>,
/// <c>stopping</c>).</summary>
internal sealed record PostmasterPidFile(int Pid, int? Port, string? Status)
{
    public const string FileName = "postmaster.pid";

    /// <summary>Reads the lock file of <paramref name="dataDirectory"/>; null when there is none
    /// or it is unreadable (a postmaster may be writing it this very moment).</summary>
    public static PostmasterPidFile? Read(string dataDirectory)
    {
        string[] lines;
        try
        {
            using var stream = new FileStream(
                Path.Combine(dataDirectory, FileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            lines = reader.ReadToEnd().Split('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (!int.TryParse(lines[0].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        // A negative PID marks a single-user backend; the process is still |pid|.
        pid = Math.Abs(pid);
        int? port = lines.Length > 3 && int.TryParse(lines[3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        var status = lines.Length > 7 ? lines[7].Trim() : null;
        return new PostmasterPidFile(pid, port, string.IsNullOrEmpty(status) ? null : status);
    }
}
