using Lgsp.Edxml.Model;

namespace Lgsp.Exchange.Storage;

/// <summary>What the national axis protocol's front door reads and writes beyond the accept path and the
/// inbox: resend de-duplication (<see cref="IResendLog"/>), counts, the sender's per-recipient view, and
/// the directory as the protocol shows it (numeric ids, versions, tombstones, agencies registered by
/// client systems).</summary>
/// <remarks>Implementations are thread safe; every change writes its ledger entry in the same
/// transaction. Methods throw only for infrastructure failures.</remarks>
public interface IAxisStore : IResendLog
{
    /// <summary>The number of pull deliveries of <paramref name="kind"/> to <paramref name="recipients"/>
    /// not yet acknowledged or failed.</summary>
    Task<int> CountPendingAsync(IReadOnlyCollection<string> recipients, PackageKind kind, CancellationToken ct = default);

    /// <summary>One row per recipient of the packages of <paramref name="kind"/> sent as any of
    /// <paramref name="senders"/>, newest first; only package <paramref name="packageId"/> when given.</summary>
    Task<IReadOnlyList<AxisSentItem>> SentAsync(IReadOnlyCollection<string> senders, PackageKind kind, long? packageId, int max, CancellationToken ct = default);

    /// <summary>A hub caller's sent list: one row per recipient of the packages of <paramref name="kind"/>
    /// that <paramref name="hub"/> forwarded here (their last hop), whoever sent them; only package
    /// <paramref name="packageId"/> when given. Newest first; with <paramref name="fromPackageId"/>, the
    /// packages from that id on, oldest first (the forwarding hub's watermark).</summary>
    Task<IReadOnlyList<AxisSentItem>> SentByHubAsync(string hub, PackageKind kind, long? packageId, long? fromPackageId, int max, CancellationToken ct = default);

    /// <summary>A hub caller's count: pull deliveries of <paramref name="kind"/> waiting for
    /// <paramref name="hub"/>, not yet acknowledged or failed (what its pending list holds).</summary>
    Task<int> CountPendingViaAsync(string hub, PackageKind kind, CancellationToken ct = default);

    /// <summary>The receipt this hub issued when it accepted a package.</summary>
    Task<byte[]> ReceiptOfAsync(long packageId, CancellationToken ct = default);

    /// <summary>Records that the recipient's system is processing a delivery, once (the delivery keeps
    /// its state).</summary>
    Task RecordProcessingAsync(long deliveryId, string actor, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Every agency, tombstones included, by numeric id.</summary>
    Task<IReadOnlyList<AxisAgency>> ListAgenciesAsync(CancellationToken ct = default);

    /// <summary>Records a client system's request to add or update an agency (<see cref="AgencyChange.Pending"/>):
    /// nothing changes in the directory until an operator approves it
    /// (<see cref="IDirectoryStore.ApproveRegistrationAsync"/>), when the system becomes its owner and acts
    /// for it. The caller's right to ask (below its own agencies) is checked before, by
    /// <see cref="Directory.AgencyMandate.CheckRegistrationAsync"/>; here only that the agency is not
    /// another's (or an operator's), that the parent exists, and that no other system's request waits for
    /// the code. The same request again records nothing.</summary>
    Task<AgencyChange> RegisterAgencyAsync(string systemId, string code, string name, string? parentCode, string? mail, CancellationToken ct = default);

    /// <summary>Tombstones an agency the client system owns (version bumped, kept for synchronisation):
    /// one it registered and no operator changed since (an operator's change clears the ownership).</summary>
    Task<AgencyChange> DeleteAgencyAsync(string systemId, string code, CancellationToken ct = default);
}

/// <summary>A sent package's delivery to one recipient.</summary>
public sealed record AxisSentItem
{
    /// <summary>The package id (the sender's <c>DocId</c>).</summary>
    public required long PackageId { get; init; }

    /// <summary>The delivery id (the recipient's <c>docId</c>).</summary>
    public required long DeliveryId { get; init; }

    /// <summary>The sending agency.</summary>
    public required string From { get; init; }

    /// <summary>The recipient agency.</summary>
    public required string To { get; init; }

    /// <summary>The code the sender (or the forwarding hub) asked for, when a successor replaced it.</summary>
    public string? AddressedTo { get; init; }

    /// <summary>The hub this hub handed the package to for that recipient, if any.</summary>
    public string? Via { get; init; }

    /// <summary>Pull or push: with <see cref="Via"/>, pull is a hand-off down to a child hub, push a
    /// forward up to the parent.</summary>
    public DeliveryMode Mode { get; init; }

    /// <summary>A hand-off down to a child hub that the child reported confirmed by its recipient (ADR 0020).</summary>
    public bool ConfirmedBelow { get; init; }

    /// <summary>Documents: subject.</summary>
    public string? Subject { get; init; }

    /// <summary>Documents: notation.</summary>
    public string? CodeNotation { get; init; }

    /// <summary>Statuses: the code.</summary>
    public string? StatusCode { get; init; }

    /// <summary>When the hub received the package.</summary>
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>When the recipient got it.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>The delivery's state.</summary>
    public required DeliveryState State { get; init; }

    /// <summary>The last error, if any.</summary>
    public string? LastError { get; init; }

    /// <summary>The last error's stable code (<see cref="Delivery.DeliveryErrorCode"/>), if any.</summary>
    public string? LastErrorCode { get; init; }
}

/// <summary>An agency as the axis protocol shows it.</summary>
public sealed record AxisAgency
{
    /// <summary>Stable numeric id.</summary>
    public required long Id { get; init; }

    /// <summary>The parent's numeric id, if any.</summary>
    public long? ParentId { get; init; }

    /// <summary>The code.</summary>
    public required string Code { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>Mail address, if known.</summary>
    public string? Mail { get; init; }

    /// <summary>The tier.</summary>
    public required string Tier { get; init; }

    /// <summary>A retired code whose successor this agency is, if any.</summary>
    public string? OldCode { get; init; }

    /// <summary>Bumped by every change.</summary>
    public required int Version { get; init; }

    /// <summary>Tombstone.</summary>
    public required bool Deleted { get; init; }

    /// <summary>Retired (documents go to its successor).</summary>
    public required bool Active { get; init; }

    /// <summary>Last change.</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>The hub serving it; null: this hub.</summary>
    public string? ServedBy { get; init; }
}

/// <summary>The outcome of a directory change requested by a client system.</summary>
public enum AgencyChange
{
    /// <summary>Done (or already so).</summary>
    Done,

    /// <summary>No such agency.</summary>
    NotFound,

    /// <summary>Another client system owns it or asked for it first, or an administrator registered or
    /// changed it.</summary>
    NotOwner,

    /// <summary>The parent code is unknown.</summary>
    ParentNotFound,

    /// <summary>The request is recorded (or already was) and waits for an operator.</summary>
    Pending,
}
