using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Ledger;

/// <summary>The ledger entries about one delivery's life, each written in the transaction of the
/// delivery row's change: created, redirected, fetched, processing, acknowledged, failed, replayed.
/// Every detail names the <c>recipient</c>. Push attempts are <see cref="AttemptEntries"/>.</summary>
public static class DeliveryEntries
{
    /// <summary><see cref="LedgerKind.DeliveryCreated"/>: a delivery row was created for a recipient of
    /// a package just stored (or a repeat of it naming a new recipient). Actor: <c>hub</c>.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="mode">Detail <c>mode</c>: pull or push.</param>
    /// <param name="via">Detail <c>via</c>: the hub that takes the package, when another hub does.</param>
    /// <param name="at">When the package was received.</param>
    public static NewLedgerEntry Created(DeliveryConcerned delivery, DeliveryMode mode, string? via, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Entry(LedgerKind.DeliveryCreated, NewLedgerEntry.Hub, at,
            new { recipient = delivery.Recipient, mode = NewLedgerEntry.Word(mode), via });
    }

    /// <summary><see cref="LedgerKind.DeliveryRedirected"/>: the code the sender wrote was retired and its
    /// successor gets the delivery; written just before <see cref="Created"/>. Actor: <c>hub</c>.</summary>
    /// <param name="delivery">The delivery, to the successor.</param>
    /// <param name="addressedTo">Detail <c>addressedTo</c>: the code the sender wrote.</param>
    /// <param name="at">When the package was received.</param>
    public static NewLedgerEntry Redirected(DeliveryConcerned delivery, string addressedTo, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Entry(LedgerKind.DeliveryRedirected, NewLedgerEntry.Hub, at, new { addressedTo, recipient = delivery.Recipient });
    }

    /// <summary><see cref="LedgerKind.DeliveryFailed"/> for a recipient without a route: the delivery is
    /// created failed, right after <see cref="Created"/>. Actor: <c>hub</c>.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="reason">Detail <c>reason</c>: why, in English (<c>no route: …</c>).</param>
    /// <param name="code">Detail <c>code</c>: the stable code word (<c>unknown-recipient</c>, <c>loop-detected</c>).</param>
    /// <param name="at">When the package was received.</param>
    public static NewLedgerEntry FailedWithoutRoute(DeliveryConcerned delivery, string? reason, string code, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Entry(LedgerKind.DeliveryFailed, NewLedgerEntry.Hub, at, new { recipient = delivery.Recipient, reason, code });
    }

    /// <summary><see cref="LedgerKind.DeliveryFailed"/> after a push attempt that left the delivery failed
    /// (the peer refused permanently, or attempts ran out); written right after the attempt's
    /// <see cref="AttemptEntries.Ended"/>. Actor: <c>hub</c>.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="attempt">The last attempt. Detail: its error as <c>reason</c>, and its <c>errorCode</c>
    /// (<see cref="DeliveryErrorCode"/>).</param>
    public static NewLedgerEntry FailedAfterAttempt(DeliveryConcerned delivery, PushRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(attempt);
        return delivery.Entry(LedgerKind.DeliveryFailed, NewLedgerEntry.Hub, attempt.FinishedAt,
            new { recipient = delivery.Recipient, reason = attempt.Error, errorCode = attempt.ErrorCode });
    }

    /// <summary><see cref="LedgerKind.DeliveryFailed"/> when the recipient's system refused the package
    /// (it confirmed with a failure).</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="actor">The recipient's system.</param>
    /// <param name="at">When it answered.</param>
    /// <param name="reason">Detail <c>reason</c>: what it said, if anything.</param>
    public static NewLedgerEntry RefusedByRecipient(DeliveryConcerned delivery, string actor, DateTimeOffset at, string? reason)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Entry(LedgerKind.DeliveryFailed, actor, at, new { recipient = delivery.Recipient, reason });
    }

    /// <summary><see cref="LedgerKind.DeliveryFailed"/> when the next hub reported that a forwarded
    /// delivery failed there or beyond it (<see cref="FarOutcome"/>), written once, as the delivery leaves
    /// <c>delivered</c>; or when the child hub a delivery was handed down to reported that it failed there
    /// or below (ADR 0020), written once. Actor: <c>hub</c>.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="reportedBy">Detail <c>reportedBy</c>: the next hub or the child hub, which told us.</param>
    /// <param name="errorCode">Detail <c>errorCode</c>: <c>far:</c> and the far hub's code.</param>
    /// <param name="reason">Detail <c>reason</c>: <c>failed at hub ID: …</c>, the far hub's text.</param>
    /// <param name="at">When this hub learnt it.</param>
    public static NewLedgerEntry FailedBeyond(DeliveryConcerned delivery, string reportedBy, string errorCode, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Entry(LedgerKind.DeliveryFailed, NewLedgerEntry.Hub, at, new { recipient = delivery.Recipient, reason, errorCode, reportedBy });
    }

    /// <summary><see cref="LedgerKind.DeliveryAcknowledged"/> when the next hub reported that the
    /// recipient of a forwarded delivery confirmed it there or beyond it (<see cref="FarOutcome"/>),
    /// written once, as the delivery leaves <c>delivered</c>; or when the child hub a delivery was handed
    /// down to reported its recipient confirmed it there or below (ADR 0020), written once. Actor: <c>hub</c>.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="reportedBy">Detail <c>reportedBy</c>: the next hub or the child hub, which told us.</param>
    /// <param name="at">When this hub learnt it.</param>
    public static NewLedgerEntry AcknowledgedBeyond(DeliveryConcerned delivery, string reportedBy, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Entry(LedgerKind.DeliveryAcknowledged, NewLedgerEntry.Hub, at, new { recipient = delivery.Recipient, reportedBy });
    }

    /// <summary><see cref="LedgerKind.DeliveryFetched"/>: the recipient's system (or the hub that pulls for
    /// it) fetched a pending pull delivery.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="actor">The system that fetched it.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry Fetched(DeliveryConcerned delivery, string actor, DateTimeOffset at) =>
        RecipientOnly(LedgerKind.DeliveryFetched, delivery, actor, at);

    /// <summary><see cref="LedgerKind.DeliveryProcessing"/>: the recipient's system reported it is
    /// processing the package (the axis protocol's <c>updateStatus processing</c>), once per delivery; the
    /// delivery's state does not change.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="actor">The system that reported it.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry Processing(DeliveryConcerned delivery, string actor, DateTimeOffset at) =>
        RecipientOnly(LedgerKind.DeliveryProcessing, delivery, actor, at);

    /// <summary><see cref="LedgerKind.DeliveryAcknowledged"/>: the recipient's system confirmed it has the
    /// package.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="actor">The system that confirmed.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry Acknowledged(DeliveryConcerned delivery, string actor, DateTimeOffset at) =>
        RecipientOnly(LedgerKind.DeliveryAcknowledged, delivery, actor, at);

    /// <summary><see cref="LedgerKind.DeliveryReplayed"/>: an administrator made a failed delivery due
    /// again; earlier attempts and entries stay as they are.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="note">Who replayed it and why: the actor, and detail <c>by</c> and <c>reason</c>; detail
    /// <c>single</c> (true) when the delivery was named alone, else <c>filter</c>, the filter that selected
    /// it (its recipient, hub, since, before and error, and <c>deliveries</c>, how many deliveries were
    /// picked by id, when they were).</param>
    /// <param name="previousState">Detail <c>previousState</c>: the state it was in.</param>
    /// <param name="previousError">Detail <c>previousError</c>: its last error, if any.</param>
    /// <param name="previousErrorCode">Detail <c>previousErrorCode</c>: that error's code, if any.</param>
    /// <param name="newState">Detail <c>newState</c>: retrying (push) or pending (pull).</param>
    /// <param name="at">When.</param>
    /// <param name="previousRoute">The route the delivery had; with <paramref name="newRoute"/>, and only
    /// when the two differ, detail <c>previousRoute</c> and <c>route</c>, each with its <c>recipient</c>,
    /// <c>mode</c> and <c>via</c> (the replay routed it again through the current directory). Detail
    /// <c>recipient</c> is then the new recipient.</param>
    /// <param name="newRoute">The route the replay gave it.</param>
    public static NewLedgerEntry Replayed(DeliveryConcerned delivery, ReplayNote note, DeliveryState previousState, string? previousError,
        string? previousErrorCode, DeliveryState newState, DateTimeOffset at, ReplayRoute? previousRoute = null, ReplayRoute? newRoute = null)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(note);
        var rerouted = previousRoute is not null && newRoute is not null && previousRoute != newRoute;
        return delivery.Entry(LedgerKind.DeliveryReplayed, note.Actor, at, new
        {
            recipient = delivery.Recipient,
            by = note.Actor,
            reason = note.Reason,
            previousState = NewLedgerEntry.Word(previousState),
            previousError,
            previousErrorCode,
            newState = NewLedgerEntry.Word(newState),
            single = note.Filter is null ? true : (bool?)null,
            filter = note.Filter is { } f ? new { recipient = f.Recipient, hub = f.Hub, since = f.Since, before = f.Before, error = f.ErrorCode, deliveries = f.DeliveryIds?.Count } : null,
            previousRoute = rerouted ? RouteDetail(previousRoute!) : null,
            route = rerouted ? RouteDetail(newRoute!) : null,
        });
    }

    private static object RouteDetail(ReplayRoute route) => new { recipient = route.Recipient, mode = NewLedgerEntry.Word(route.Mode), via = route.Via };

    private static NewLedgerEntry RecipientOnly(string kind, DeliveryConcerned delivery, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Entry(kind, actor, at, new { recipient = delivery.Recipient });
    }
}
