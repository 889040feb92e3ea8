using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Storage;

/// <summary>A push delivery claimed for one attempt.</summary>
/// <param name="DeliveryId">Delivery id.</param>
/// <param name="PackageId">Package id.</param>
/// <param name="Kind">Document or status.</param>
/// <param name="DocumentId">DocumentId.</param>
/// <param name="Sha256">Package SHA-256, hex.</param>
/// <param name="Recipient">Recipient agency.</param>
/// <param name="Endpoint">Where to push; null when the agency no longer has a push endpoint.</param>
/// <param name="Attempts">Attempts made before this one.</param>
/// <param name="Body">Opens the exact package bytes for the attempt to stream (never held whole).</param>
/// <param name="Via">When the package is forwarded to another hub rather than pushed to the agency's
/// endpoint: that hub.</param>
/// <param name="AddressedTo">The code the sender wrote (what a next hub is asked to route).</param>
/// <param name="Hops">The hubs the package passed through before this one, first to last.</param>
/// <param name="Receipt">This hub's signed receipt for the package (its hash travels to the next hub).</param>
/// <param name="AttemptBase">Attempts made before the latest replay (0 when never replayed): they do not
/// count against the retry limit.</param>
public sealed record PushWork(long DeliveryId, long PackageId, PackageKind Kind, string DocumentId, string Sha256, string Recipient, Uri? Endpoint, int Attempts, PackageBodyOpener Body,
    HubLink? Via = null, string? AddressedTo = null, IReadOnlyList<string>? Hops = null, byte[]? Receipt = null, int AttemptBase = 0)
{
    /// <summary>Until when this claim holds the delivery, as the store keeps it: the token the attempt's
    /// outcome is recorded with (<see cref="PushRecord.LeaseUntil"/>).</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>The package's sender (its <c>From</c>), as stored when it was accepted: what a forward
    /// to another hub names as <c>from</c> without reading the package again.</summary>
    public string? From { get; init; }

    /// <summary>The other deliveries of the same package via the same hub, claimed with this one: one
    /// upload carries all their codes (ADR 0017). Empty for a push to an agency.</summary>
    public IReadOnlyList<PushWork> Companions { get; init; } = [];

    /// <summary>The package was judged under the legacy policy here: a forward says so to the next hub
    /// (<c>lgsp-prev-policy</c>), whose link policy decides whether it counts (ADR 0017).</summary>
    public bool Legacy { get; init; }

    /// <summary>This delivery and its <see cref="Companions"/>, this one first.</summary>
    public IEnumerable<PushWork> Group => [this, .. Companions];

    /// <summary>The codes a forward asks the next hub to route: each delivery's
    /// <see cref="AddressedTo"/> (else its recipient), this delivery's first, without repeats.</summary>
    public IReadOnlyList<string> AddressedCodes => Group.Select(w => w.AddressedTo ?? w.Recipient).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>The result of one push attempt, to record.</summary>
/// <param name="DeliveryId">Delivery id.</param>
/// <param name="Attempt">This attempt's number (1-based).</param>
/// <param name="StartedAt">Start.</param>
/// <param name="FinishedAt">End.</param>
/// <param name="NewState">Delivered, Retrying or Failed.</param>
/// <param name="Error">The error, when not delivered.</param>
/// <param name="Permanent">True when the peer refused permanently.</param>
/// <param name="NextAttemptAt">When Retrying: the next attempt.</param>
/// <param name="ErrorCode">The error's stable code (<see cref="Delivery.DeliveryErrorCode"/>), when not delivered.</param>
/// <param name="PeerDocId">The id the next hub gave the package, when it took it.</param>
/// <param name="PeerReceipt">The next hub's signed receipt, when it gave one.</param>
public sealed record PushRecord(long DeliveryId, int Attempt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, DeliveryState NewState, string? Error, bool Permanent,
    DateTimeOffset? NextAttemptAt, string? ErrorCode = null, string? PeerDocId = null, byte[]? PeerReceipt = null)
{
    /// <summary>The lease of the claim this attempt ran under (<see cref="PushWork.LeaseUntil"/>); null
    /// when it ran without a claim. The outcome changes the delivery only while that lease is still the
    /// delivery's: a replay or a later claim after it expired has taken the delivery over.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}

/// <summary>Overdue push deliveries that one job serves: a package's deliveries via the same hub (its
/// claim takes the others along, ADR 0017), or one delivery pushed to an agency.</summary>
/// <param name="DeliveryIds">The overdue deliveries, ascending; never empty.</param>
public sealed record OverdueGroup(IReadOnlyList<long> DeliveryIds)
{
    /// <summary>The delivery whose job serves the group: the first.</summary>
    public long Lead => DeliveryIds[0];
}
