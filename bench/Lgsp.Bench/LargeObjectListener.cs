using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Lgsp.Bench;

/// <summary>
/// Counts this process's allocations on the large-object heap from the runtime's own allocation-tick
/// events (<c>Microsoft-Windows-DotNETRuntime</c>, GC keyword, verbose: <c>GCAllocationTick_V4</c>).
/// </summary>
/// <remarks>
/// <para>Why the ticks and not a counter: the runtime has no per-heap allocation counter
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/> counts all heaps together, and
/// <see cref="GC.GetGCMemoryInfo()"/> gives heap sizes at collections, not allocations).</para>
/// <para>Why the ticks are exact for the large-object heap: the runtime fires a tick for a heap once the
/// bytes allocated on it since the last tick exceed 100 KiB, naming the object that crossed the line
/// (its type and <c>ObjectSize</c>) and the bytes since the last tick (<c>AllocationAmount64</c>). Every
/// large object is at least 85 000 bytes, so a tick covers the crossing object and at most one earlier
/// one (two earlier ones would already be over 100 KiB): one object when the amount is about the object's
/// size (the reported size runs a few bytes over it: alignment), two when it exceeds it by 85 000 or more. Summing the amounts gives the bytes; the objects are counted exactly; only the
/// earlier object's type is not named (it is listed as "(an earlier object under 100 KiB)"). What was
/// allocated after the last tick is flushed by a marker object of a size nothing else has
/// (<see cref="Take"/>).</para>
/// <para>The events arrive on the runtime's dispatch thread, a little after the allocation; the marker
/// is also how <see cref="Take"/> knows all earlier ticks have arrived.</para>
/// </remarks>
internal sealed class LargeObjectListener : EventListener
{
    /// <summary>The runtime's allocation kind for the large-object heap (0 small, 1 large, 2 pinned).</summary>
    private const uint LargeKind = 1;

    /// <summary>The earlier object a tick covers besides the one that crossed the line is not named.</summary>
    public const string EarlierObject = "(an earlier object under 100 KiB)";

    private const string Marker = "(marker)";

    /// <summary>A large object's least size, less the slack of the object size the tick reports.</summary>
    private const long EarlierAtLeast = 85_000 - 256;

    private static readonly TimeSpan MarkerWait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<Tick> _ticks = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private long _markerSize = -1;

    /// <summary>What one measured stretch allocated on the large-object heap.</summary>
    /// <param name="Bytes">Bytes allocated there.</param>
    /// <param name="Objects">Objects allocated there.</param>
    /// <param name="ByType">Bytes and objects by the allocated type's name.</param>
    public sealed record Taken(long Bytes, long Objects, IReadOnlyDictionary<string, (long Bytes, long Objects)> ByType);

    private readonly record struct Tick(long Amount, long ObjectSize, string TypeName);

    /// <summary>Discards what was counted so far (call before the measured stretch).</summary>
    public void Reset() => Take();

    /// <summary>What the large-object heap received since the last <see cref="Take"/> or <see cref="Reset"/>.</summary>
    public Taken Take()
    {
        // The marker: a byte array of a size no other allocation has, large enough to fire its own
        // tick; its tick's amount beyond its own size belongs to the stretch, and once it has arrived
        // every earlier tick has too (one dispatch thread, in order).
        var marker = GC.AllocateUninitializedArray<byte>(200_000 + Random.Shared.Next(1, 4096) * 8);
        var expected = marker.Length;
        Volatile.Write(ref _markerSize, expected);
        GC.KeepAlive(marker);
        if (!_arrived.Wait(MarkerWait))
        {
            throw new InvalidOperationException("The runtime's allocation-tick events did not arrive: is the listener enabled?");
        }

        var byType = new Dictionary<string, (long Bytes, long Objects)>(StringComparer.Ordinal);
        long bytes = 0, objects = 0;
        while (_ticks.TryDequeue(out var tick))
        {
            // ObjectSize runs a few bytes over the amount (alignment); the amount is the exact figure.
            var own = Math.Min(tick.ObjectSize, tick.Amount);
            var isMarker = tick.TypeName == Marker;
            if (!isMarker)
            {
                Add(byType, tick.TypeName, own, 1);
                bytes += own;
                objects++;
            }

            if (tick.Amount - own >= EarlierAtLeast)
            {
                Add(byType, EarlierObject, tick.Amount - own, 1);
                bytes += tick.Amount - own;
                objects++;
            }

            if (isMarker)
            {
                break;
            }
        }

        return new Taken(bytes, objects, byType);
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null || e.PayloadNames is null)
        {
            return;
        }

        var kind = Convert.ToUInt32(Field(e, "AllocationKind") ?? 0u, System.Globalization.CultureInfo.InvariantCulture);
        if (kind != LargeKind)
        {
            return;
        }

        var amount = Convert.ToInt64(Field(e, "AllocationAmount64") ?? Field(e, "AllocationAmount") ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        var size = Convert.ToInt64(Field(e, "ObjectSize") ?? amount, System.Globalization.CultureInfo.InvariantCulture);
        var type = Field(e, "TypeName") as string ?? "?";
        var marker = Volatile.Read(ref _markerSize);

        // The object's size includes the array's header (24 bytes on 64-bit) and some alignment, hence the range.
        var isMarker = marker > 0 && type == "System.Byte[]" && size >= marker + 24 && size <= marker + 24 + 256;
        _ticks.Enqueue(new Tick(amount, size, isMarker ? Marker : type));
        if (isMarker)
        {
            Volatile.Write(ref _markerSize, -1);
            _arrived.Release();
        }
    }

    private static object? Field(EventWrittenEventArgs e, string name)
    {
        var at = e.PayloadNames!.IndexOf(name);
        return at < 0 ? null : e.Payload![at];
    }

    private static void Add(Dictionary<string, (long Bytes, long Objects)> byType, string type, long bytes, long objects)
    {
        var (b, o) = byType.GetValueOrDefault(type);
        byType[type] = (b + bytes, o + objects);
    }
}
