using System.Text.Json.Serialization;

namespace Lgsp.Exchange.Storage;

/// <summary>A delivery as its sender sees it.</summary>
public sealed record DeliveryView
{
    /// <summary>Delivery id.</summary>
    public required long Id { get; init; }

    /// <summary>The recipient agency.</summary>
    public required string Recipient { get; init; }

    /// <summary>The code the sender wrote, when a successor took its place.</summary>
    public string? AddressedTo { get; init; }

    /// <summary>Pull or push.</summary>
    public required DeliveryMode Mode { get; init; }

    /// <summary>The state.</summary>
    public required DeliveryState State { get; init; }

    /// <summary>Push attempts made.</summary>
    public required int Attempts { get; init; }

    /// <summary>The last error, if any.</summary>
    public string? LastError { get; init; }

    /// <summary>The last error's stable code (<see cref="Delivery.DeliveryErrorCode"/>), if any.</summary>
    public string? LastErrorCode { get; init; }

    /// <summary>When the delivery last failed (dead letter), if it did.</summary>
    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>When the next push attempt is due.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When the recipient got it.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>When the recipient confirmed it.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>The recipient's latest business status code.</summary>
    public string? LastStatusCode { get; init; }

    /// <summary>The package's DocumentId.</summary>
    public required string DocumentId { get; init; }

    /// <summary>The sending agency.</summary>
    public required string From { get; init; }

    /// <summary>The hub the package goes through towards the recipient, if another hub takes it.</summary>
    public string? Via { get; init; }

    /// <summary>The id the next hub gave the package, once forwarded.</summary>
    public string? PeerDocId { get; init; }

    /// <summary>For a hand-off down to a child hub (a pull via <see cref="Via"/>): when its recipient
    /// confirmed it further down, as that hub reported (ADR 0020); null while it is only taken by the
    /// child hub, which the state <c>acknowledged</c> alone does not tell apart.</summary>
    public DateTimeOffset? FarConfirmedAt { get; init; }

    /// <summary>True for a hand-off down to a child hub that the child hub took but whose recipient's
    /// confirmation it has not reported yet. Derived, so not written to JSON.</summary>
    [JsonIgnore]
    public bool TakenByHubOnly => Mode == DeliveryMode.Pull && Via is not null && State == DeliveryState.Acknowledged && FarConfirmedAt is null;

    /// <summary>True for a hand-off down to a child hub whose recipient confirmed it further down, as the
    /// child hub reported (<see cref="FarConfirmedAt"/>). Derived, so not written to JSON.</summary>
    [JsonIgnore]
    public bool ConfirmedBelow => Mode == DeliveryMode.Pull && Via is not null && State == DeliveryState.Acknowledged && FarConfirmedAt is not null;
}

/// <summary>Which deliveries to list: every condition given must hold; a null condition selects all.</summary>
public sealed record DeliveryFilter
{
    /// <summary>Only this delivery.</summary>
    public long? DeliveryId { get; init; }

    /// <summary>Only deliveries in this state.</summary>
    public DeliveryState? State { get; init; }

    /// <summary>Only deliveries to this agency.</summary>
    public string? Recipient { get; init; }

    /// <summary>Only deliveries forwarded to this hub.</summary>
    public string? Hub { get; init; }

    /// <summary>Only deliveries that failed at or after this time.</summary>
    public DateTimeOffset? FailedSince { get; init; }

    /// <summary>Only deliveries that failed before this time.</summary>
    public DateTimeOffset? FailedBefore { get; init; }

    /// <summary>Only deliveries whose last error has this code (<see cref="Delivery.DeliveryErrorCode"/>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Only these deliveries (rows an operator picked).</summary>
    public IReadOnlyCollection<long>? DeliveryIds { get; init; }

    /// <summary>Only deliveries with a smaller id: the next page of a list ordered newest first (keyset
    /// pagination, so a page costs the same however deep it is).</summary>
    public long? BeforeId { get; init; }
}
