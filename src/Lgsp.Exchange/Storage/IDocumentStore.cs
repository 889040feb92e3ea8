namespace Lgsp.Exchange.Storage;

/// <summary>Finding documents and everything the hub knows about one: the console's Documents and
/// document screens.</summary>
/// <remarks>Implementations are thread safe. <c>agencies</c> is the reader's scope: null reads every
/// document (administrators, operators, auditors); otherwise only documents one of those agencies sent
/// or is a recipient of (an agency clerk), enforced in the query, so that an id typed into the address
/// bar finds nothing outside the scope either.</remarks>
public interface IDocumentStore
{
    /// <summary>The documents matching every condition of <paramref name="query"/>, newest first
    /// (received time, then id), after <paramref name="after"/> when given (keyset paging: no offset,
    /// so page 10 000 costs what page 1 costs); at most <paramref name="max"/>.</summary>
    Task<DocumentPage> SearchAsync(DocumentQuery query, IReadOnlyCollection<string>? agencies, DocumentCursor? after, int max, CancellationToken ct = default);

    /// <summary>Everything about the document with that DocumentId within the scope: its packages
    /// (the document, its updates, the statuses about it), their deliveries and ledger entries; null
    /// when the scope holds no such document.</summary>
    Task<DocumentFile?> FindAsync(string documentId, IReadOnlyCollection<string>? agencies, CancellationToken ct = default);
}
