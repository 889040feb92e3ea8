using Lgsp.Edxml.Model;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary>The two counts of what <c>getReceivedEdocList</c> would list: <c>count</c>, the caller's pull
/// deliveries of one kind not yet confirmed or failed (a hub caller's: those waiting for its hub).</summary>
/// <param name="name">The operation's name.</param>
/// <param name="kind">The kind it counts.</param>
/// <param name="axis">The store.</param>
public abstract class CountReceivedOperation(string name, PackageKind kind, IAxisStore axis) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        // A hub caller's list is what waits for its hub, as getReceivedEdocList gives it.
        var count = call.System.Hub is { } hub
            ? await axis.CountPendingViaAsync(hub, kind, ct)
            : await axis.CountPendingAsync([.. call.System.Agencies], kind, ct);
        return AxisAnswer.Ok(w => w.WriteNumber("count", count));
    }
}

/// <summary><c>countReceiveEdoc</c>: the number of documents waiting for the caller.</summary>
public sealed class CountReceiveEdocOperation(IAxisStore axis) : CountReceivedOperation("countReceiveEdoc", PackageKind.Document, axis);

/// <summary><c>countReceiveStatus</c>: the number of statuses waiting for the caller.</summary>
public sealed class CountReceiveStatusOperation(IAxisStore axis) : CountReceivedOperation("countReceiveStatus", PackageKind.Status, axis);
