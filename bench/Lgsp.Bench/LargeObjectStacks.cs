using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Lgsp.Bench;

/// <summary>
/// Where a process allocated its large objects: reads a trace taken with
/// <c>dotnet-trace collect -p PID --providers Microsoft-Windows-DotNETRuntime:0x1:5</c> (the GC events,
/// verbose, with their stacks) and prints the large-object allocation ticks grouped by type, size and
/// stack, most frequent first (bench/README.md, "Large-object allocations per accept").
/// </summary>
internal static class LargeObjectStacks
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: lohstacks TRACE.nettrace [TOP (8)] [FRAMES (16)]");
            return 2;
        }

        var top = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8;
        var depth = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 16;
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
        var groups = new Dictionary<string, (int Ticks, long Bytes)>(StringComparer.Ordinal);
        foreach (var e in log.Events)
        {
            if (e is not GCAllocationTickTraceData tick || tick.AllocationKind != GCAllocationKind.Large)
            {
                continue;
            }

            var frames = new List<string>();
            for (var frame = e.CallStack(); frame is not null && frames.Count < depth; frame = frame.Caller)
            {
                var method = frame.CodeAddress.FullMethodName;
                frames.Add(string.IsNullOrEmpty(method) ? frame.CodeAddress.ModuleName + "!?" : method);
            }

            var key = $"{tick.TypeName}, {tick.ObjectSize} bytes{Environment.NewLine}    {string.Join(Environment.NewLine + "    ", frames)}";
            var (ticks, bytes) = groups.GetValueOrDefault(key);
            groups[key] = (ticks + 1, bytes + tick.AllocationAmount64);
        }

        Console.WriteLine($"{groups.Values.Sum(g => g.Ticks)} large-object allocation ticks in {args[0]}");
        foreach (var (key, (ticks, bytes)) in groups.OrderByDescending(g => g.Value.Ticks).Take(top))
        {
            Console.WriteLine();
            Console.WriteLine($"{ticks} ticks, {bytes} bytes: {key}");
        }

        return 0;
    }
}
