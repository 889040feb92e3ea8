using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Delivery;

/// <summary>The failed deliveries a bulk replay selects; every condition given must hold.</summary>
/// <param name="Recipient">Only deliveries to this agency.</param>
/// <param name="Hub">Only deliveries forwarded to this hub.</param>
/// <param name="Since">Only deliveries that failed at or after this time.</param>
/// <param name="ErrorCode">Only deliveries whose last error has this code (<see cref="DeliveryErrorCode"/>).</param>
/// <param name="Before">Only deliveries that failed before this time.</param>
/// <param name="DeliveryIds">Only these deliveries: the rows an operator picked, or exactly the ones a
/// dry run showed, so that what is replayed is what was reviewed.</param>
public sealed record ReplayFilter(string? Recipient = null, string? Hub = null, DateTimeOffset? Since = null, string? ErrorCode = null,
    DateTimeOffset? Before = null, IReadOnlyCollection<long>? DeliveryIds = null)
{
    /// <summary>The failed deliveries the filter selects, as a store filter.</summary>
    public DeliveryFilter Selection => new()
    {
        State = DeliveryState.Failed, Recipient = Recipient, Hub = Hub, FailedSince = Since, FailedBefore = Before, ErrorCode = ErrorCode, DeliveryIds = DeliveryIds,
    };
}

/// <summary>An administrator's request to replay one delivery, or every failed delivery a filter selects.</summary>
/// <remarks>Immutable. Construct through <see cref="Single"/> or <see cref="Failed"/>, which refuse a
/// blank reason or actor: a replay without a recorded reason is not allowed.</remarks>
public sealed record ReplayRequest
{
    private ReplayRequest(long? deliveryId, ReplayFilter? filter, string actor, string reason, bool dryRun)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "reason", "a replay needs a reason; it is recorded in the ledger with who replayed what");
        }

        if (string.IsNullOrWhiteSpace(actor))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "actor", "a replay needs the name of who asks for it");
        }

        DeliveryId = deliveryId;
        Filter = filter;
        Actor = actor.Trim();
        Reason = reason.Trim();
        DryRun = dryRun;
    }

    /// <summary>The one delivery to replay; null for a filter.</summary>
    public long? DeliveryId { get; }

    /// <summary>The failed deliveries to replay; null for a single delivery.</summary>
    public ReplayFilter? Filter { get; }

    /// <summary>Who asks (the ledger entry's actor).</summary>
    public string Actor { get; }

    /// <summary>Why (mandatory, recorded).</summary>
    public string Reason { get; }

    /// <summary>List what would be replayed; change nothing.</summary>
    public bool DryRun { get; }

    /// <summary>Replays one delivery.</summary>
    /// <exception cref="ExchangeException">InvalidRequest: the reason or the actor is blank.</exception>
    public static ReplayRequest Single(long deliveryId, string actor, string reason, bool dryRun = false) => new(deliveryId, null, actor, reason, dryRun);

    /// <summary>Replays every failed delivery <paramref name="filter"/> selects.</summary>
    /// <exception cref="ExchangeException">InvalidRequest: the reason or the actor is blank.</exception>
    public static ReplayRequest Failed(ReplayFilter filter, string actor, string reason, bool dryRun = false) => new(null, filter, actor, reason, dryRun);

    /// <summary>The deliveries the request names, as a store filter.</summary>
    public DeliveryFilter Selection => Filter is { } f ? f.Selection : new DeliveryFilter { DeliveryId = DeliveryId };
}

/// <summary>What replay did (or, in a dry run, would do) to one delivery.</summary>
public enum ReplayOutcome
{
    /// <summary>The failed delivery is due again: push deliveries retry, pull deliveries are back in
    /// the recipient's pending list. In a dry run: it would be.</summary>
    Replayed,

    /// <summary>The recipient already has it (delivered or acknowledged); nothing was done.</summary>
    AlreadyDelivered,

    /// <summary>It is still pending or retrying; nothing was done.</summary>
    NotFailed,

    /// <summary>No such delivery.</summary>
    NotFound,

    /// <summary>It is failed, but the current directory gives its recipient no route (or the route's
    /// recipient already has its own delivery of the package); it stays failed.</summary>
    NoRoute,
}

/// <summary>One delivery's replay.</summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="Outcome">What was (or would be) done.</param>
/// <param name="Delivery">The delivery as it was before the replay; null when not found.</param>
/// <param name="NewState">The state after a replay (Retrying or Pending); null when nothing was done.</param>
public sealed record ReplayItem(long DeliveryId, ReplayOutcome Outcome, DeliveryView? Delivery, DeliveryState? NewState = null)
{
    /// <summary>For <see cref="ReplayOutcome.Replayed"/>: the route the delivery takes (or, in a dry run,
    /// would take), recomputed through the current directory.</summary>
    public ReplayRoute? Route { get; init; }

    /// <summary>For <see cref="ReplayOutcome.NoRoute"/>: why, in English.</summary>
    public string? NoRoute { get; init; }

    /// <summary>A sentence for the outcome, in English (operators' summaries).</summary>
    public string Explanation => Outcome switch
    {
        ReplayOutcome.Replayed => (NewState is { } s ? $"delivery {DeliveryId} replayed; it is {s.ToString().ToLowerInvariant()} again" : $"delivery {DeliveryId} would be replayed")
            + (Rerouted ? $", now {Route}" : ""),
        ReplayOutcome.NoRoute => $"delivery {DeliveryId} stays failed: {NoRoute}",
        ReplayOutcome.AlreadyDelivered => $"delivery {DeliveryId} is already delivered; nothing to replay",
        ReplayOutcome.NotFailed => $"delivery {DeliveryId} is {Delivery?.State.ToString().ToLowerInvariant()}, not failed; nothing to replay",
        _ => $"delivery {DeliveryId} does not exist",
    };

    /// <summary>True when the replay changes the delivery's route (recipient, mode or hub).</summary>
    public bool Rerouted => Route is { } route && Delivery is { } before && route != ReplayRoute.Of(before);
}

/// <summary>The outcome of a replay request.</summary>
/// <param name="DryRun">True when nothing was changed.</param>
/// <param name="Items">One item per delivery the request named, in the order they were handled.</param>
public sealed record ReplayResult(bool DryRun, IReadOnlyList<ReplayItem> Items)
{
    /// <summary>How many were (or would be) replayed.</summary>
    public int Replayed => Items.Count(i => i.Outcome == ReplayOutcome.Replayed);

    /// <summary>How many were left alone.</summary>
    public int Skipped => Items.Count - Replayed;
}

/// <summary>Why a replay happened, as the ledger records it.</summary>
/// <param name="Actor">Who asked.</param>
/// <param name="Reason">Why.</param>
/// <param name="Filter">The filter that selected the delivery; null when it was named alone.</param>
public sealed record ReplayNote(string Actor, string Reason, ReplayFilter? Filter);

/// <summary>Makes failed deliveries due again.</summary>
/// <remarks>Thread safe; safe with several hub instances on one database.</remarks>
public interface IReplayStore
{
    /// <summary>In one transaction: if the delivery is failed, gives it <paramref name="route"/> (recipient,
    /// mode, hub), makes it due again (push: retrying, next attempt now, a fresh attempt budget; pull:
    /// pending) and appends a <see cref="Ledger.LedgerKind.DeliveryReplayed"/> entry, with the previous
    /// and the new route when they differ; attempt rows and earlier ledger entries are left as they are.
    /// If the package already has a delivery to the route's recipient, this one stays failed
    /// (<see cref="ReplayOutcome.NoRoute"/>). Any other state changes nothing and is reported. The item's
    /// <see cref="ReplayItem.Delivery"/> is null: the caller knows the delivery.</summary>
    Task<ReplayItem> ReplayAsync(long deliveryId, ReplayRoute route, ReplayNote note, DateTimeOffset at, CancellationToken ct = default);
}

/// <summary>Replay for administrators: one delivery by id, or every failed delivery a filter selects,
/// with a dry run that lists exactly what would be replayed, and where to, and changes nothing. Each
/// failed delivery is routed again through <paramref name="router"/> (the current directory).</summary>
/// <remarks>Thread safe. Each delivery is replayed in its own transaction: a bulk replay interrupted
/// half-way leaves the ones done replayed and the rest failed, each with its ledger entry. With a
/// queue (the hub) replayed push deliveries are enqueued at once; without one (the command line) the
/// hub's reconciler starts them on its next run.</remarks>
public sealed class ReplayService(IPackageStore packages, IReplayStore store, Router router, TimeProvider clock, IDeliveryQueue? queue = null)
{
    /// <summary>What the request names: each delivery with what a replay would do to it, and for a failed
    /// one the route it would take.</summary>
    public async Task<IReadOnlyList<ReplayItem>> PreviewAsync(ReplayRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = await PreviewAsync(request.Selection, ct);
        return request.DeliveryId is { } id && items.Count == 0 ? [new ReplayItem(id, ReplayOutcome.NotFound, null)] : items;
    }

    /// <summary>The dry run of a bulk replay before anyone has given a reason (the console shows it
    /// first, then asks why): the failed deliveries <paramref name="filter"/> selects, each with what a
    /// replay would do to it and where it would go. Changes nothing.</summary>
    public Task<IReadOnlyList<ReplayItem>> PreviewAsync(ReplayFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return PreviewAsync(filter.Selection, ct);
    }

    private async Task<IReadOnlyList<ReplayItem>> PreviewAsync(DeliveryFilter selection, CancellationToken ct)
    {
        var deliveries = await packages.ListDeliveriesAsync(selection, null, ct);

        // Oldest first: replayed deliveries go out in the order they were sent.
        var items = new List<ReplayItem>(deliveries.Count);
        foreach (var delivery in deliveries.Reverse())
        {
            items.Add(await PlanAsync(delivery, ct));
        }

        return items;
    }

    /// <summary>Replays what the request names (or, for a dry run, returns the preview), reporting each
    /// delivery to <paramref name="progress"/> as it is done.</summary>
    public async Task<ReplayResult> RunAsync(ReplayRequest request, IProgress<ReplayItem>? progress = null, CancellationToken ct = default)
    {
        var preview = await PreviewAsync(request, ct);
        if (request.DryRun)
        {
            return new ReplayResult(true, preview);
        }

        var note = new ReplayNote(request.Actor, request.Reason, request.Filter);
        var items = new List<ReplayItem>(preview.Count);
        foreach (var planned in preview)
        {
            var item = planned is { Outcome: ReplayOutcome.Replayed, Route: { } route }
                ? await store.ReplayAsync(planned.DeliveryId, route, note, clock.GetUtcNow(), ct) with { Delivery = planned.Delivery }
                : planned;
            items.Add(item);
            progress?.Report(item);
        }

        // Enqueued once all are replayed, so that the first forward of a package via a hub finds its
        // replayed siblings waiting and carries them in the same upload (ADR 0017).
        foreach (var item in items.Where(i => i.NewState == DeliveryState.Retrying))
        {
            queue?.Enqueue(item.DeliveryId);
        }

        return new ReplayResult(false, items);
    }

    private async Task<ReplayItem> PlanAsync(DeliveryView delivery, CancellationToken ct)
    {
        if (Expected(delivery.State) is not ReplayOutcome.Replayed and var outcome)
        {
            return new ReplayItem(delivery.Id, outcome, delivery);
        }

        var hops = (await packages.FindDeliveryAsync(delivery.Id, ct))?.Hops ?? [];
        var route = await ReplayRoute.ResolveAsync(router, delivery, hops, ct);
        return ReplayRoute.Of(route) is { } next
            ? new ReplayItem(delivery.Id, ReplayOutcome.Replayed, delivery) { Route = next }
            : new ReplayItem(delivery.Id, ReplayOutcome.NoRoute, delivery) { NoRoute = route.Failure };
    }

    private static ReplayOutcome Expected(DeliveryState state) => state switch
    {
        DeliveryState.Failed => ReplayOutcome.Replayed,
        DeliveryState.Delivered or DeliveryState.Acknowledged => ReplayOutcome.AlreadyDelivered,
        _ => ReplayOutcome.NotFailed,
    };
}
