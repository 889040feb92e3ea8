using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Lgsp.Bench;

// --gc-events: the hub's collections and large-object allocations during the accept run, read from the
// hub process itself over its diagnostics port (an EventPipe session with the runtime's GC events: each
// collection's generation, and the allocation ticks, whose large-object ones are exact; see
// LargeObjectListener). Off by default: the session costs the hub a little CPU, and the CPU rows of the
// performance table are taken without it.
internal sealed partial class AcceptBench
{
    private HubGcFigures? _gcFigures;

    private HubGcWatch? StartGcWatch() => _options.GcEvents ? HubGcWatch.Start(_hub.ProcessId) : null;

    private void EndGcWatch(HubGcWatch? watch, int accepted)
    {
        if (watch is not null)
        {
            _gcFigures = watch.Stop() with { Accepted = accepted };
        }
    }

    private void WriteGc()
    {
        if (_gcFigures is not { } gc)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var per = 1000.0 / Math.Max(1, gc.Accepted);
        Line("### The hub's collections and large-object allocations (accept run, --gc-events)");
        Line();
        Line(string.Create(inv, $"{gc.Accepted} accepts; per 1 000 accepts: **{gc.Collections[2] * per:0.0} gen 2 collections**, {gc.Collections[1] * per:0.0} gen 1, {gc.Collections[0] * per:0.0} gen 0; "
            + $"on the large-object heap {gc.LargeBytes / (double)Math.Max(1, gc.Accepted) / 1024:0.0} KiB and {gc.LargeObjects / (double)Math.Max(1, gc.Accepted):0.00} objects per accept."));
        Line();
        Line("| large objects by type | KiB per accept | objects per 1 000 accepts |");
        Line("|---|---|---|");
        foreach (var (type, (bytes, objects)) in gc.LargeByType.OrderByDescending(t => t.Value.Bytes).Take(12))
        {
            Line(string.Create(inv, $"| `{type}` | {bytes / (double)Math.Max(1, gc.Accepted) / 1024:0.00} | {objects * per:0.0} |"));
        }

        Line();
    }
}

/// <summary>What <see cref="HubGcWatch"/> saw: collections by generation (0, 1, 2) and the large-object heap's
/// allocations, in all and by type.</summary>
internal sealed record HubGcFigures(long[] Collections, long LargeBytes, long LargeObjects, IReadOnlyDictionary<string, (long Bytes, long Objects)> LargeByType)
{
    public int Accepted { get; init; }
}

/// <summary>An EventPipe session on another .NET process: its collections by generation and its
/// large-object allocations (from the allocation ticks, counted as <see cref="LargeObjectListener"/> does).</summary>
internal sealed class HubGcWatch
{
    private const long EarlierAtLeast = 85_000 - 256;

    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private readonly long[] _collections = new long[3];
    private readonly Dictionary<string, (long Bytes, long Objects)> _byType = new(StringComparer.Ordinal);
    private long _bytes;
    private long _objects;

    private HubGcWatch(int processId)
    {
        var client = new DiagnosticsClient(processId);
        _session = client.StartEventPipeSession(
            [new EventPipeProvider(ClrTraceEventParser.ProviderName, System.Diagnostics.Tracing.EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC)],
            requestRundown: false);
        var source = new EventPipeEventSource(_session.EventStream);
        source.Clr.GCStart += e =>
        {
            if (e.Depth is >= 0 and <= 2)
            {
                lock (_collections)
                {
                    _collections[e.Depth]++;
                }
            }
        };
        source.Clr.GCAllocationTick += e =>
        {
            if (e.AllocationKind != GCAllocationKind.Large)
            {
                return;
            }

            // As LargeObjectListener: the amount is exact; a tick covers its object and at most one earlier one.
            var amount = e.AllocationAmount64;
            var own = e.ObjectSize > 0 ? Math.Min(e.ObjectSize, amount) : amount;
            lock (_collections)
            {
                Add(e.TypeName ?? "?", own);
                if (amount - own >= EarlierAtLeast)
                {
                    Add(LargeObjectListener.EarlierObject, amount - own);
                }
            }
        };
        _reading = Task.Run(source.Process);
    }

    public static HubGcWatch Start(int processId) => new(processId);

    /// <summary>Ends the session and returns what it saw.</summary>
    public HubGcFigures Stop()
    {
        _session.Stop();
        _reading.Wait(TimeSpan.FromSeconds(30));
        _session.Dispose();
        lock (_collections)
        {
            return new HubGcFigures((long[])_collections.Clone(), _bytes, _objects, new Dictionary<string, (long, long)>(_byType));
        }
    }

    private void Add(string type, long bytes)
    {
        var (b, o) = _byType.GetValueOrDefault(type);
        _byType[type] = (b + bytes, o + 1);
        _bytes += bytes;
        _objects++;
    }
}
