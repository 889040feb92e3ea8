using Lgsp.Edxml.Model;

namespace Lgsp.Exchange.Storage;

/// <summary>What to search for: every condition given must hold; a null condition selects all.</summary>
public sealed record DocumentQuery
{
    /// <summary>What the person typed in the search box: the DocumentId exactly, or words of the
    /// number/notation, or words of the subject (each word somewhere in it), without regard to
    /// accents or case (<see cref="Documents.SearchText"/>).</summary>
    public string? Text { get; init; }

    /// <summary>Only documents sent by this agency.</summary>
    public string? From { get; init; }

    /// <summary>Only documents with a delivery to this agency.</summary>
    public string? To { get; init; }

    /// <summary>Only documents received at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only documents received before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only documents with a delivery in this state.</summary>
    public DeliveryState? State { get; init; }
}

/// <summary>Where a page of search results ended: the last row's received time and package id.</summary>
/// <param name="ReceivedAt">The last row's received time.</param>
/// <param name="PackageId">The last row's package id.</param>
public sealed record DocumentCursor(DateTimeOffset ReceivedAt, long PackageId);

/// <summary>One page of search results.</summary>
/// <param name="Rows">The documents, newest first.</param>
/// <param name="Next">Where the next page starts; null on the last page.</param>
public sealed record DocumentPage(IReadOnlyList<DocumentRow> Rows, DocumentCursor? Next);

/// <summary>A document in a list of search results (one package of kind document).</summary>
public sealed record DocumentRow
{
    /// <summary>The package.</summary>
    public required long PackageId { get; init; }

    /// <summary>The DocumentId.</summary>
    public required string DocumentId { get; init; }

    /// <summary>The sending agency.</summary>
    public required string From { get; init; }

    /// <summary>Number.</summary>
    public string? CodeNumber { get; init; }

    /// <summary>Notation.</summary>
    public string? CodeNotation { get; init; }

    /// <summary>Subject.</summary>
    public string? Subject { get; init; }

    /// <summary>New, revocation, update or replacement.</summary>
    public BusinessDocType? BusinessType { get; init; }

    /// <summary>When the hub received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Each recipient with its delivery's state, in delivery order.</summary>
    public required IReadOnlyList<(string Recipient, DeliveryState State)> Recipients { get; init; }

    /// <summary>Number and notation as written on the document (<c>12/UBND-VP</c>).</summary>
    public string Code => string.Join('/', new[] { CodeNumber, CodeNotation }.Where(s => !string.IsNullOrEmpty(s)));
}

/// <summary>Everything the hub keeps about one document.</summary>
/// <param name="DocumentId">The DocumentId.</param>
/// <param name="Packages">Its packages (the document, updates, statuses about it), oldest first.</param>
/// <param name="Deliveries">The deliveries of its document packages, by id.</param>
/// <param name="Events">The packages' ledger entries, in ledger order.</param>
public sealed record DocumentFile(string DocumentId, IReadOnlyList<StoredPackage> Packages, IReadOnlyList<DocumentDelivery> Deliveries, IReadOnlyList<TraceEvent> Events);

/// <summary>A stored package as the document screen shows it (without its bytes).</summary>
public sealed record StoredPackage
{
    /// <summary>The package.</summary>
    public required long Id { get; init; }

    /// <summary>Document or status.</summary>
    public required PackageKind Kind { get; init; }

    /// <summary>The sending agency.</summary>
    public required string From { get; init; }

    /// <summary>The client system that sent it.</summary>
    public required string SenderSystem { get; init; }

    /// <summary>When the hub received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Documents: the business operation.</summary>
    public BusinessDocType? BusinessType { get; init; }

    /// <summary>Statuses: the code.</summary>
    public string? StatusCode { get; init; }

    /// <summary>Statuses: the agency the status is for.</summary>
    public string? StatusTarget { get; init; }

    /// <summary>Judged under the legacy policy.</summary>
    public required bool Legacy { get; init; }

    /// <summary>The envelope signature's verdict at accept: <c>unsigned</c>, <c>placeholder</c> or <c>valid</c>.</summary>
    public required string Signature { get; init; }

    /// <summary>The envelope signer's subject, when signed.</summary>
    public string? SignerSubject { get; init; }

    /// <summary>The hubs it passed through before this one, first to last.</summary>
    public IReadOnlyList<string> Hops { get; init; } = [];

    /// <summary>SHA-256 (hex) of the previous hub's receipt, when another hub forwarded it.</summary>
    public string? PreviousReceiptSha256 { get; init; }

    /// <summary>The ledger entry of its reception (what its receipt names).</summary>
    public required long LedgerSeq { get; init; }
}

/// <summary>A delivery of one of the document's packages.</summary>
/// <param name="PackageId">The package delivered.</param>
/// <param name="View">The delivery.</param>
public sealed record DocumentDelivery(long PackageId, DeliveryView View);
