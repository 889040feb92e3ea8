namespace Lgsp.Exchange.Storage;

/// <summary>A forwarding hub's follow-up of its forwards: the ones still on their way beyond the next
/// hub, and what the next hub reports of them (<see cref="Delivery.FarOutcome"/>).</summary>
/// <remarks>Thread safe; safe with several hub instances. Each change writes its ledger entry in its
/// transaction, and only while the delivery is still <c>delivered</c>: a report repeated (a poll run
/// again, an instance restarted) records nothing twice.</remarks>
public interface IForwardStore
{
    /// <summary>Push deliveries forwarded to <paramref name="hub"/> (<c>delivered</c>, with the id that hub
    /// gave the package) since <paramref name="deliveredSince"/>, lowest of that hub's ids first.</summary>
    Task<IReadOnlyList<ForwardOnItsWay>> OnTheirWayAsync(string hub, DateTimeOffset deliveredSince, int max, CancellationToken ct = default);

    /// <summary>Fails a forwarded delivery still <c>delivered</c> via <paramref name="hub"/> with the far
    /// hub's code and text; false when it was no longer so (nothing recorded).</summary>
    Task<bool> RecordFailedBeyondAsync(long deliveryId, string hub, string errorCode, string reason, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Acknowledges a forwarded delivery still <c>delivered</c> via <paramref name="hub"/>: its
    /// recipient confirmed it beyond; false when it was no longer so (nothing recorded).</summary>
    Task<bool> RecordAcknowledgedBeyondAsync(long deliveryId, string hub, DateTimeOffset at, CancellationToken ct = default);
}

/// <summary>A forward this hub still follows.</summary>
/// <param name="DeliveryId">Our delivery.</param>
/// <param name="PeerDocId">The id the next hub gave the package (its <c>sendEdoc</c> answer's DocId).</param>
/// <param name="AddressedTo">The code we asked the next hub for.</param>
/// <param name="Kind">A document or a status (the next hub lists each apart).</param>
public sealed record ForwardOnItsWay(long DeliveryId, string PeerDocId, string AddressedTo, Lgsp.Edxml.Model.PackageKind Kind);
