using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Storage;

/// <summary>A client system as stored, with its secret hash.</summary>
/// <param name="System">The system as the rest of the hub sees it.</param>
/// <param name="SecretHash">See <see cref="Directory.SecretHash"/>.</param>
/// <param name="Active">False when disabled.</param>
public sealed record ClientSystemRecord(ClientSystem System, string SecretHash, bool Active)
{
    /// <summary>The secret sealed with the hub's <see cref="Directory.SecretBox"/> (the axis protocol's
    /// HMAC needs the secret itself); null when it was set before secrets were sealed.</summary>
    public byte[]? SealedSecret { get; init; }
}

/// <summary>The trust material configured in the directory: DER certificates and CRLs.</summary>
/// <param name="Roots">Trust roots.</param>
/// <param name="Intermediates">Intermediate CAs.</param>
/// <param name="Crls">Certificate revocation lists (DER or PEM).</param>
public sealed record TrustRecords(IReadOnlyList<byte[]> Roots, IReadOnlyList<byte[]> Intermediates, IReadOnlyList<byte[]> Crls);

/// <summary>Delivery modes: the recipient's system pulls from its pending list, or the hub pushes to
/// its endpoint.</summary>
public enum DeliveryMode
{
    /// <summary>The recipient's system pulls.</summary>
    Pull,

    /// <summary>The hub pushes to the recipient's endpoint.</summary>
    Push,
}

/// <summary>Delivery states. Stored as lower-case words.</summary>
public enum DeliveryState
{
    /// <summary>Waiting: in the recipient's pending list (pull) or for its first push.</summary>
    Pending,

    /// <summary>A push failed transiently; another attempt is scheduled.</summary>
    Retrying,

    /// <summary>The recipient has the bytes (fetched, or pushed successfully).</summary>
    Delivered,

    /// <summary>The recipient's system confirmed receipt.</summary>
    Acknowledged,

    /// <summary>Dead letter: refused permanently, or attempts ran out.</summary>
    Failed,
}

/// <summary>A package about to be stored.</summary>
public sealed record NewPackage
{
    /// <summary>Document or status.</summary>
    public required PackageKind Kind { get; init; }

    /// <summary>The client system that sent it.</summary>
    public required string SenderSystem { get; init; }

    /// <summary>The sending agency.</summary>
    public required string From { get; init; }

    /// <summary>The document's DocumentId; for a status, <c>ResponseFor.DocumentId</c>.</summary>
    public required string DocumentId { get; init; }

    /// <summary>SHA-256 of <see cref="Body"/>.</summary>
    public required byte[] Sha256 { get; init; }

    /// <summary>The exact bytes the sender sent.</summary>
    public required byte[] Body { get; init; }

    /// <summary>When the hub received it (microsecond precision).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Documents: the business operation.</summary>
    public BusinessDocType? BusinessType { get; init; }

    /// <summary>Statuses: the two-digit code.</summary>
    public string? StatusCode { get; init; }

    /// <summary>Statuses: the agency the status is for.</summary>
    public string? StatusTarget { get; init; }

    /// <summary>Statuses: the delivery whose <c>LastStatusCode</c> it updates: the original document's
    /// sender and the recipient (either may be unknown here).</summary>
    public (string Sender, string Recipient)? StatusAbout { get; init; }

    /// <summary>Documents: number.</summary>
    public string? CodeNumber { get; init; }

    /// <summary>Documents: notation.</summary>
    public string? CodeNotation { get; init; }

    /// <summary>Documents: subject.</summary>
    public string? Subject { get; init; }

    /// <summary>Judged under the legacy policy.</summary>
    public required bool Legacy { get; init; }

    /// <summary><c>unsigned</c>, <c>placeholder</c> or <c>valid</c>.</summary>
    public required string Signature { get; init; }

    /// <summary>The envelope signer's subject, when signed.</summary>
    public string? SignerSubject { get; init; }

    /// <summary>SHA-256 of the signer's certificate, when signed.</summary>
    public byte[]? SignerSha256 { get; init; }

    /// <summary>How the signer is bound to <see cref="From"/>: <c>registered</c> (its certificate is
    /// registered for the agency here) or <c>vouched by &lt;hub&gt;</c> (the agency is served by that
    /// hub, which checked it); null when unsigned.</summary>
    public string? SignerBinding { get; init; }

    /// <summary>The hubs the package passed through before this one, first to last (empty when a client
    /// system sent it here directly).</summary>
    public IReadOnlyList<string> Hops { get; init; } = [];

    /// <summary>SHA-256 (lower-case hex) of the previous hub's receipt, when it came from another hub.</summary>
    public string? PreviousReceiptSha256 { get; init; }
}

/// <summary>A delivery to create with a package.</summary>
/// <param name="Recipient">The agency that gets it (after successor links).</param>
/// <param name="AddressedTo">The code the sender wrote.</param>
/// <param name="Mode">Pull or push.</param>
public sealed record NewDelivery(string Recipient, string AddressedTo, DeliveryMode Mode)
{
    /// <summary>The hub that takes the package (a child pulls it, the parent is pushed to); null when
    /// this hub delivers to the recipient's system.</summary>
    public string? Via { get; init; }

    /// <summary>When the recipient has no route: the stable code word (<c>unknown-recipient</c>,
    /// <c>loop-detected</c>); the delivery is created <see cref="DeliveryState.Failed"/>.</summary>
    public string? FailureCode { get; init; }

    /// <summary>When the recipient has no route: why, in English (<c>no route: …</c>).</summary>
    public string? Failure { get; init; }
}

/// <summary>What a receipt states; signed by the hub.</summary>
/// <param name="Kind">Document or status.</param>
/// <param name="From">The sending agency.</param>
/// <param name="DocumentId">The DocumentId (a status: the document it is about).</param>
/// <param name="Sha256">SHA-256 of the package, lower-case hex.</param>
/// <param name="Size">Package size in bytes.</param>
/// <param name="ReceivedAt">When the hub received it.</param>
/// <param name="LedgerSeq">The ledger entry recording the reception.</param>
/// <param name="Hops">The hubs the package passed through before this one, first to last (empty: sent
/// here directly).</param>
/// <param name="PreviousReceiptSha256">SHA-256 (lower-case hex) of the previous hub's receipt, if any.</param>
public sealed record ReceiptFacts(PackageKind Kind, string From, string DocumentId, string Sha256, long Size, DateTimeOffset ReceivedAt, long LedgerSeq,
    IReadOnlyList<string>? Hops = null, string? PreviousReceiptSha256 = null);

/// <summary>A refused package, as the ledger records it: the only thing stored for a refusal.</summary>
/// <param name="Kind">What the operation expected: document or status.</param>
/// <param name="SenderSystem">The authenticated client system.</param>
/// <param name="From">The agency the package claims to come from, when it could be read.</param>
/// <param name="Code">The refusal's machine code.</param>
/// <param name="Field">The field it names.</param>
/// <param name="Sha256">SHA-256 of the body as received, lower-case hex.</param>
/// <param name="Size">The body's size in bytes.</param>
/// <param name="At">When it was refused.</param>
public sealed record Refusal(PackageKind Kind, string SenderSystem, string? From, string Code, string Field, string Sha256, long Size, DateTimeOffset At);

/// <summary>A stored package's answer to its sender.</summary>
/// <param name="PackageId">The package row.</param>
/// <param name="DocumentId">The DocumentId.</param>
/// <param name="Sha256">SHA-256, lower-case hex.</param>
/// <param name="ReceivedAt">When it was first received.</param>
/// <param name="Receipt">The hub's signed receipt.</param>
/// <param name="LedgerSeq">The reception's ledger entry.</param>
/// <param name="Duplicate">True when this answer repeats an earlier one.</param>
public sealed record Acceptance(long PackageId, string DocumentId, string Sha256, DateTimeOffset ReceivedAt, byte[] Receipt, long LedgerSeq, bool Duplicate);

/// <summary>How saving a package ended.</summary>
public enum SaveResult
{
    /// <summary>Stored now.</summary>
    Saved,

    /// <summary>The same package (or, for a status other than 05, the same status) was stored earlier;
    /// its original answer is returned.</summary>
    Duplicate,

    /// <summary>The sender already stored different bytes under this new document's DocumentId.</summary>
    DocumentIdConflict,
}

/// <summary>The outcome of <see cref="IPackageStore.SaveAsync"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Acceptance">The answer (null for a conflict).</param>
/// <param name="Deliveries">The deliveries created, with their ids (empty unless saved).</param>
public sealed record SaveOutcome(SaveResult Result, Acceptance? Acceptance, IReadOnlyList<(long Id, NewDelivery Delivery)> Deliveries);

/// <summary>An item in a recipient's pending list.</summary>
public sealed record PendingItem
{
    /// <summary>The delivery id (what <c>GetDocument</c> and <c>ConfirmReceived</c> take).</summary>
    public required long Id { get; init; }

    /// <summary>DocumentId (a status: the document it is about).</summary>
    public required string DocumentId { get; init; }

    /// <summary>The sending agency.</summary>
    public required string From { get; init; }

    /// <summary>The recipient agency.</summary>
    public required string To { get; init; }

    /// <summary>Documents: number.</summary>
    public string? CodeNumber { get; init; }

    /// <summary>Documents: notation.</summary>
    public string? CodeNotation { get; init; }

    /// <summary>Documents: subject.</summary>
    public string? Subject { get; init; }

    /// <summary>Statuses: the code.</summary>
    public string? StatusCode { get; init; }

    /// <summary>When the hub received the package.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Package size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Pending, or Delivered once fetched.</summary>
    public DeliveryState State { get; init; } = DeliveryState.Pending;

    /// <summary>When the delivery last changed (fetched), else when it was created.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A delivery as its recipient-side operations need it.</summary>
/// <param name="Id">Delivery id.</param>
/// <param name="PackageId">Package id.</param>
/// <param name="Kind">Document or status.</param>
/// <param name="DocumentId">The package's DocumentId.</param>
/// <param name="Recipient">The recipient agency.</param>
/// <param name="State">The state.</param>
public sealed record DeliveryRecord(long Id, long PackageId, PackageKind Kind, string DocumentId, string Recipient, DeliveryState State)
{
    /// <summary>Pull or push.</summary>
    public DeliveryMode Mode { get; init; }

    /// <summary>The hub the package goes through (a child that pulls it, or the parent it is pushed
    /// to); null when this hub delivers to the recipient's system.</summary>
    public string? Via { get; init; }

    /// <summary>The hubs the package passed through before this one, first to last, as stored when it
    /// was received (a hub that hands it on adds its own id).</summary>
    public IReadOnlyList<string> Hops { get; init; } = [];

    /// <summary>True when <paramref name="caller"/> is the one that fetches and confirms this delivery:
    /// a hub caller, the pull deliveries via its hub; any other system, the deliveries this hub makes
    /// to its agencies' systems.</summary>
    public bool IsFor(ClientSystem caller) => caller.Hub is { } hub
        ? Via == hub && Mode == DeliveryMode.Pull
        : Via is null && caller.ActsFor(Recipient);
}

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

    /// <summary>Only deliveries whose last error has this code (<see cref="Delivery.DeliveryErrorCode"/>).</summary>
    public string? ErrorCode { get; init; }
}

/// <summary>One ledger entry as a trace shows it.</summary>
/// <param name="Seq">Ledger position.</param>
/// <param name="At">When.</param>
/// <param name="Kind">One of <see cref="Ledger.LedgerKind"/>.</param>
/// <param name="Actor">Who (a client system id, <c>hub</c>, or an operator).</param>
/// <param name="Detail">The entry's detail, JSON.</param>
public sealed record TraceEvent(long Seq, DateTimeOffset At, string Kind, string Actor, string Detail)
{
    /// <summary>The package the entry is about.</summary>
    public long? PackageId { get; init; }

    /// <summary>The delivery the entry is about, if any.</summary>
    public long? DeliveryId { get; init; }

    /// <summary>The delivery's recipient, when the entry is about a delivery.</summary>
    public string? Recipient { get; init; }

    /// <summary>On an <c>attempt.succeeded</c> entry of a forward to another hub: that hub's signed
    /// receipt, as it sent it (ledger detail <see cref="Ledger.LedgerDetailKeys.PeerReceipt"/>).</summary>
    public byte[]? PeerReceipt { get; init; }

    /// <summary>On a <c>package.received</c> entry of a package another hub forwarded: the SHA-256
    /// (hex) of that hub's receipt for it (ledger detail <see cref="Ledger.LedgerDetailKeys.PreviousReceiptSha256"/>).</summary>
    public string? PreviousReceiptSha256 { get; init; }
}

/// <summary>A push delivery claimed for one attempt.</summary>
/// <param name="DeliveryId">Delivery id.</param>
/// <param name="PackageId">Package id.</param>
/// <param name="Kind">Document or status.</param>
/// <param name="DocumentId">DocumentId.</param>
/// <param name="Sha256">Package SHA-256, hex.</param>
/// <param name="Recipient">Recipient agency.</param>
/// <param name="Endpoint">Where to push; null when the agency no longer has a push endpoint.</param>
/// <param name="Attempts">Attempts made before this one.</param>
/// <param name="Body">The exact package bytes.</param>
/// <param name="Via">When the package is forwarded to another hub rather than pushed to the agency's
/// endpoint: that hub.</param>
/// <param name="AddressedTo">The code the sender wrote (what a next hub is asked to route).</param>
/// <param name="Hops">The hubs the package passed through before this one, first to last.</param>
/// <param name="Receipt">This hub's signed receipt for the package (its hash travels to the next hub).</param>
/// <param name="AttemptBase">Attempts made before the latest replay (0 when never replayed): they do not
/// count against the retry limit.</param>
public sealed record PushWork(long DeliveryId, long PackageId, PackageKind Kind, string DocumentId, string Sha256, string Recipient, Uri? Endpoint, int Attempts, byte[] Body,
    HubLink? Via = null, string? AddressedTo = null, IReadOnlyList<string>? Hops = null, byte[]? Receipt = null, int AttemptBase = 0);

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
    DateTimeOffset? NextAttemptAt, string? ErrorCode = null, string? PeerDocId = null, byte[]? PeerReceipt = null);
