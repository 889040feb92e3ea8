using System.Globalization;

namespace Lgsp.Bench;

/// <summary>CPU time used so far, read from <c>/proc</c> (Linux): the whole machine, the hub process,
/// the PostgreSQL server (postmaster, its live children, and its children that have exited), and this
/// process. Differences of two readings tell where a run's CPU went.</summary>
internal sealed record CpuReading(TimeSpan MachineBusy, TimeSpan MachineTotal, TimeSpan Hub, TimeSpan Postgres, TimeSpan Bench)
{
    // USER_HZ: the unit of /proc CPU times; 100 on every mainstream Linux configuration.
    private const double TicksPerSecond = 100;

    public static CpuReading Take(int hubPid, int? postmasterPid)
    {
        var (busy, total) = Machine();
        return new CpuReading(busy, total, Process(hubPid, children: false), postmasterPid is int pm ? PostgresTree(pm) : TimeSpan.Zero,
            System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);
    }

    public static CpuReading operator -(CpuReading a, CpuReading b) =>
        new(a.MachineBusy - b.MachineBusy, a.MachineTotal - b.MachineTotal, a.Hub - b.Hub, a.Postgres - b.Postgres, a.Bench - b.Bench);

    /// <summary>Busy share of all cores.</summary>
    public double BusyShare => MachineTotal > TimeSpan.Zero ? MachineBusy / MachineTotal : 0;

    /// <summary>Share of all cores busy with anything but the hub, PostgreSQL and this process (other
    /// work on the machine, and the kernel's own): what disturbed the run.</summary>
    public double OtherShare => MachineTotal > TimeSpan.Zero ? Math.Max(0, (MachineBusy - Hub - Postgres - Bench) / MachineTotal) : 0;

    private static (TimeSpan Busy, TimeSpan Total) Machine()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        var idle = fields[3] + fields[4];
        return (Ticks(total - idle), Ticks(total));
    }

    private static TimeSpan PostgresTree(int postmaster)
    {
        var sum = Process(postmaster, children: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != postmaster && ParentOf(pid) == postmaster)
            {
                sum += Process(pid, children: false);
            }
        }

        return sum;
    }

    /// <summary>utime + stime (+ cutime + cstime: children waited for) of a process.</summary>
    private static TimeSpan Process(int pid, bool children)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return TimeSpan.Zero;
        }

        // Fields after "(comm)": state=0, ppid=1, ... utime=11, stime=12, cutime=13, cstime=14.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (children)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return Ticks(ticks);
    }

    private static int? ParentOf(int pid) => StatFields(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : null;

    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);
}
