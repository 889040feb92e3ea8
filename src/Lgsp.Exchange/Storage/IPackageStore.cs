using Lgsp.Edxml.Model;

namespace Lgsp.Exchange.Storage;

/// <summary>Packages, their deliveries and the ledger: the hub's system of record.</summary>
/// <remarks>Implementations are thread safe. A method that returns has committed.</remarks>
public interface IPackageStore
{
    /// <summary>Stores a package, its deliveries and their ledger entries in one transaction; the
    /// receipt is issued inside it, once the ledger position is known. De-duplicates: the same
    /// (sender, DocumentId, SHA-256), or for a status other than 05 the same (sender, document,
    /// target, code), returns the original answer; a new document whose DocumentId the sender
    /// already used for other bytes is a conflict. Nothing is stored unless the result is
    /// <see cref="SaveResult.Saved"/>.</summary>
    Task<SaveOutcome> SaveAsync(NewPackage package, IReadOnlyList<NewDelivery> deliveries, Func<ReceiptFacts, byte[]> issueReceipt, CancellationToken ct = default);

    /// <summary>Records a refusal as one <c>package.refused</c> ledger entry in its own transaction;
    /// the package itself is never stored.</summary>
    Task RecordRefusalAsync(Refusal refusal, CancellationToken ct = default);

    /// <summary>Pull deliveries of <paramref name="kind"/> to <paramref name="recipients"/> that this
    /// hub delivers itself (not via another hub), not yet confirmed (pending or fetched), oldest first.</summary>
    Task<IReadOnlyList<PendingItem>> PendingAsync(IReadOnlyCollection<string> recipients, PackageKind kind, int max, CancellationToken ct = default);

    /// <summary>A child hub's pending list: pull deliveries of <paramref name="kind"/> waiting for
    /// <paramref name="hub"/> (to <paramref name="recipient"/> only, when given), not yet confirmed,
    /// oldest first.</summary>
    Task<IReadOnlyList<PendingItem>> PendingViaAsync(string hub, string? recipient, PackageKind kind, int max, CancellationToken ct = default);

    /// <summary>The delivery, or null.</summary>
    Task<DeliveryRecord?> FindDeliveryAsync(long deliveryId, CancellationToken ct = default);

    /// <summary>Opens the package's exact bytes for one reading, streamed from the store (never held
    /// whole); dispose the body when done.</summary>
    /// <exception cref="InvalidOperationException">No such package.</exception>
    Task<PackageBody> OpenBodyAsync(long packageId, CancellationToken ct = default);

    /// <summary>The signed receipt this hub issued when it accepted the package.</summary>
    /// <exception cref="InvalidOperationException">No such package.</exception>
    Task<byte[]> ReadReceiptAsync(long packageId, CancellationToken ct = default);

    /// <summary>Marks a pending delivery fetched (delivered) with a ledger entry; does nothing in
    /// any other state.</summary>
    Task MarkFetchedAsync(long deliveryId, string actor, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>The recipient's confirmation: <c>done</c> acknowledges, otherwise the delivery fails
    /// with <paramref name="reason"/>. Repeating a confirmation changes nothing.</summary>
    Task ConfirmAsync(long deliveryId, bool done, string? reason, string actor, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Deliveries of the documents with that DocumentId sent by any of <paramref name="senders"/>.</summary>
    Task<IReadOnlyList<DeliveryView>> DeliveriesOfAsync(string documentId, IReadOnlyCollection<string> senders, CancellationToken ct = default);

    /// <summary>Deliveries of the documents with that DocumentId that <paramref name="hub"/> forwarded
    /// here (the package's last hop), whoever sent them: what a hub caller sees of its own traffic.</summary>
    Task<IReadOnlyList<DeliveryView>> DeliveriesForwardedByAsync(string documentId, string hub, CancellationToken ct = default);

    /// <summary>Deliveries matching every condition of <paramref name="filter"/>, newest first; at most
    /// <paramref name="max"/> (all when null).</summary>
    Task<IReadOnlyList<DeliveryView>> ListDeliveriesAsync(DeliveryFilter filter, int? max, CancellationToken ct = default);

    /// <summary>The ledger entries about a document sent by any of <paramref name="senders"/> (the
    /// document's packages, deliveries and statuses), in ledger order; every sender's when
    /// <paramref name="senders"/> is null (an auditor or an administrator).</summary>
    Task<IReadOnlyList<TraceEvent>> TraceAsync(string documentId, IReadOnlyCollection<string>? senders, CancellationToken ct = default);

    /// <summary>The ledger entries about the packages with that DocumentId that <paramref name="hub"/>
    /// forwarded here (documents and statuses whose last hop it is), in ledger order.</summary>
    Task<IReadOnlyList<TraceEvent>> TraceForwardedByAsync(string documentId, string hub, CancellationToken ct = default);
}
