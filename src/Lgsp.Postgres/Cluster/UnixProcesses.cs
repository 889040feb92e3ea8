using System.Globalization;
using System.Runtime.InteropServices;

namespace Lgsp.Postgres.Cluster;

/// <summary>The state of a process as <c>/proc</c> reports it.</summary>
internal enum ProcessState
{
    /// <summary>No such process.</summary>
    Gone,

    /// <summary>Exited but not yet reaped by its parent: it holds no files, sockets or memory.</summary>
    Zombie,

    /// <summary>Running (or sleeping, stopped, ...).</summary>
    Alive,
}

/// <summary>The few Linux facts the launcher needs: who we are, whether a process lives, and
/// which directory it works in (a postmaster and all its children work in their data directory).</summary>
internal static class UnixProcesses
{
    /// <summary>Whether this process runs as root (initdb and pg_ctl refuse to).</summary>
    public static bool IsRoot { get; } = ComputeIsRoot();

    /// <summary>The state of process <paramref name="pid"/>.</summary>
    public static ProcessState State(int pid)
    {
        var stat = ReadStat(pid);
        if (stat is null)
        {
            return ProcessState.Gone;
        }

        // "pid (comm) S ...": the command may contain spaces and parentheses, the state follows the last ')'.
        var close = stat.LastIndexOf(')');
        var state = close >= 0 && close + 2 < stat.Length ? stat[close + 2] : '?';
        return state is 'Z' or 'X' ? ProcessState.Zombie : ProcessState.Alive;
    }

    /// <summary>When process <paramref name="pid"/> started, in clock ticks since boot (field 22
    /// of <c>/proc/pid/stat</c>): with the PID it names one process even across PID reuse.</summary>
    public static long? StartTicks(int pid)
    {
        var stat = ReadStat(pid);
        var close = stat?.LastIndexOf(')') ?? -1;
        if (close < 0)
        {
            return null;
        }

        // After ") " come fields 3.. ; start time is field 22, i.e. index 19 here.
        var fields = stat![(close + 2)..].Split(' ');
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    /// <summary>The working directory of <paramref name="pid"/>, or null when it is gone, a zombie,
    /// or not ours to look at.</summary>
    public static string? WorkingDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Live processes whose working directory is <paramref name="canonicalDirectory"/>.</summary>
    public static IReadOnlyList<int> WorkingIn(string canonicalDirectory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && WorkingDirectory(pid) == canonicalDirectory
                && State(pid) == ProcessState.Alive)
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>The absolute path with every symbolic link resolved, as the kernel reports
    /// working directories; the input when it cannot be resolved.</summary>
    public static string Canonical(string path)
    {
        var resolved = RealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return Path.GetFullPath(path);
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? Path.GetFullPath(path);
        }
        finally
        {
            Free(resolved);
        }
    }

    private static string? ReadStat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool ComputeIsRoot()
    {
        if (Environment.UserName == "root")
        {
            return true;
        }

        try
        {
            return GetEffectiveUserId() == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);
}
