using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Reports.Facts;

namespace Lgsp.Exchange.Storage;

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

    /// <summary>The exact bytes the sender sent, spooled (ADR 0016): the store streams them from the
    /// spool into the package row; the caller owns the spool and disposes it after the save.</summary>
    public required PackageSpool Body { get; init; }

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

    /// <summary>The hub whose legacy verdict this hub inherited over an <c>inherit</c> link (ADR 0017):
    /// judged under legacy because that hub did; null otherwise.</summary>
    public string? LegacyInheritedFrom { get; init; }

    /// <summary>That hub's receipt in full, when it came with the package (a pull).</summary>
    public byte[]? InheritedReceipt { get; init; }

    /// <summary>What the judgement tolerated (its warnings), each as <c>code field</c>, e.g.
    /// <c>InvalidAgencyCode TraceHeaderList/TraceHeader[1]/OrganId</c>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What the package contributes to the exchange reports, stored in the same transaction;
    /// null stores none (packages built outside the accept path, e.g. in store tests).</summary>
    public PackageFacts? Facts { get; init; }
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
