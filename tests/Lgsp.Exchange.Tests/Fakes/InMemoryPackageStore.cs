using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Fakes;

/// <summary>The package store port in memory, keeping the contract <see cref="IPackageStore"/> states:
/// a package stored once with its deliveries and receipt; the same bytes from the same agency, or the
/// same status other than 05, answered with the first acceptance (creating only the deliveries it did
/// not have); a new document reusing a DocumentId for other bytes a conflict; a refusal kept as one
/// record; fetches and confirmations changing a delivery's state. No ledger beyond that, no push
/// bookkeeping.</summary>
internal sealed class InMemoryPackageStore : IPackageStore
{
    private long _lastId;

    public List<StoredPackage> Packages { get; } = [];

    public List<StoredDelivery> Deliveries { get; } = [];

    public List<Refusal> Refusals { get; } = [];

    /// <summary>When set, saving and recording a refusal fail as a database that cannot be reached would.</summary>
    public bool Unavailable { get; set; }

    public Task<SaveOutcome> SaveAsync(NewPackage package, IReadOnlyList<NewDelivery> deliveries, Func<ReceiptFacts, byte[]> issueReceipt, CancellationToken ct = default)
    {
        if (Unavailable)
        {
            throw new TimeoutException("the database does not answer");
        }

        if (Earlier(package) is { } earlier)
        {
            return Task.FromResult(earlier.Package.Sha256.AsSpan().SequenceEqual(package.Sha256) || package.Kind == PackageKind.Status
                ? new SaveOutcome(SaveResult.Duplicate, earlier.Acceptance with { Duplicate = true }, Deliver(earlier.Id, package, deliveries))
                : new SaveOutcome(SaveResult.DocumentIdConflict, null, []));
        }

        var id = ++_lastId;
        var seq = ++_lastId;
        var sha = Convert.ToHexStringLower(package.Sha256);
        var receipt = issueReceipt(new ReceiptFacts(package.Kind, package.From, package.DocumentId, sha, package.Body.Length, package.ReceivedAt, seq,
            package.Hops, package.PreviousReceiptSha256));
        // The caller disposes its spool after the save, as a database's copy outlives it, so does this one.
        package = package with { Body = PackageSpool.FromBytes(package.Body.ToArray()) };
        var stored = new StoredPackage(id, package, new Acceptance(id, package.DocumentId, sha, package.ReceivedAt, receipt, seq, false));
        Packages.Add(stored);
        return Task.FromResult(new SaveOutcome(SaveResult.Saved, stored.Acceptance, Deliver(id, package, deliveries)));
    }

    public Task RecordRefusalAsync(Refusal refusal, CancellationToken ct = default)
    {
        if (Unavailable)
        {
            throw new TimeoutException("the database does not answer");
        }

        Refusals.Add(refusal);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingItem>> PendingAsync(IReadOnlyCollection<string> recipients, PackageKind kind, int max, CancellationToken ct = default) =>
        Pending(d => d.Delivery.Via is null && recipients.Contains(d.Delivery.Recipient), kind, max);

    public Task<IReadOnlyList<PendingItem>> PendingViaAsync(string hub, string? recipient, PackageKind kind, int max, CancellationToken ct = default) =>
        Pending(d => d.Delivery.Via == hub && (recipient is null || d.Delivery.Recipient == recipient), kind, max);

    public Task<DeliveryRecord?> FindDeliveryAsync(long deliveryId, CancellationToken ct = default) =>
        Task.FromResult(Deliveries.FirstOrDefault(d => d.Id == deliveryId) is { } d
            ? new DeliveryRecord(d.Id, d.PackageId, PackageOf(d).Kind, PackageOf(d).DocumentId, d.Delivery.Recipient, d.State)
            {
                Mode = d.Delivery.Mode,
                Via = d.Delivery.Via,
                Hops = PackageOf(d).Hops,
            }
            : null);

    public Task<PackageBody> OpenBodyAsync(long packageId, CancellationToken ct = default) => Task.FromResult(PackageBody.Of(Packages.Single(p => p.Id == packageId).Package.Body.ToArray()));

    public Task<byte[]> ReadReceiptAsync(long packageId, CancellationToken ct = default) => Task.FromResult(Packages.Single(p => p.Id == packageId).Acceptance.Receipt);

    public Task MarkFetchedAsync(long deliveryId, string actor, DateTimeOffset at, CancellationToken ct = default)
    {
        var delivery = Deliveries.Single(d => d.Id == deliveryId);
        if (delivery.State == DeliveryState.Pending)
        {
            delivery.Change(DeliveryState.Delivered, null, actor, at);
        }

        return Task.CompletedTask;
    }

    public Task ConfirmAsync(long deliveryId, bool done, string? reason, string actor, DateTimeOffset at, CancellationToken ct = default)
    {
        var delivery = Deliveries.Single(d => d.Id == deliveryId);
        if (delivery.State is DeliveryState.Pending or DeliveryState.Delivered or DeliveryState.Retrying)
        {
            delivery.Change(done ? DeliveryState.Acknowledged : DeliveryState.Failed, reason, actor, at);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeliveryView>> DeliveriesOfAsync(string documentId, IReadOnlyCollection<string> senders, CancellationToken ct = default) =>
        Views(p => p.DocumentId == documentId && senders.Contains(p.From));

    public Task<IReadOnlyList<DeliveryView>> DeliveriesForwardedByAsync(string documentId, string hub, CancellationToken ct = default) =>
        Views(p => p.DocumentId == documentId && p.Hops.Count > 0 && p.Hops[^1] == hub);

    public Task<IReadOnlyList<TraceEvent>> TraceForwardedByAsync(string documentId, string hub, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<TraceEvent>>([.. Packages.Where(p => p.Package.DocumentId == documentId && p.Package.Hops.Count > 0 && p.Package.Hops[^1] == hub)
            .Select(p => new TraceEvent(p.Acceptance.LedgerSeq, p.Package.ReceivedAt, "package.received", p.Package.SenderSystem, "{}") { PackageId = p.Id })]);

    private Task<IReadOnlyList<DeliveryView>> Views(Func<NewPackage, bool> which) =>
        Task.FromResult<IReadOnlyList<DeliveryView>>([.. Deliveries.Where(d => PackageOf(d) is { Kind: PackageKind.Document } p && which(p))
            .Select(d => new DeliveryView
            {
                Id = d.Id,
                Recipient = d.Delivery.Recipient,
                AddressedTo = d.Delivery.AddressedTo == d.Delivery.Recipient ? null : d.Delivery.AddressedTo,
                Mode = d.Delivery.Mode,
                State = d.State,
                Attempts = 0,
                LastError = d.LastError,
                DocumentId = PackageOf(d).DocumentId,
                From = PackageOf(d).From,
                Via = d.Delivery.Via,
            })]);

    /// <summary>One <c>package.received</c> event per stored package about the document.</summary>
    public Task<IReadOnlyList<TraceEvent>> TraceAsync(string documentId, IReadOnlyCollection<string>? senders, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<TraceEvent>>([.. Packages.Where(p => p.Package.DocumentId == documentId && (senders is null || senders.Contains(p.Package.From)))
            .Select(p => new TraceEvent(p.Acceptance.LedgerSeq, p.Package.ReceivedAt, "package.received", p.Package.SenderSystem, "{}") { PackageId = p.Id })]);

    public Task<IReadOnlyList<DeliveryView>> ListDeliveriesAsync(DeliveryFilter filter, int? max, CancellationToken ct = default) => throw new NotSupportedException();

    // Same bytes from the same agency; else the same status other than 05; else, for a new document or a
    // revocation, another new document or revocation under its DocumentId.
    private StoredPackage? Earlier(NewPackage package) => Packages
        .Where(p => p.Package.From == package.From && p.Package.DocumentId == package.DocumentId && p.Package.Kind == package.Kind)
        .OrderByDescending(p => p.Package.Sha256.AsSpan().SequenceEqual(package.Sha256))
        .FirstOrDefault(p => p.Package.Sha256.AsSpan().SequenceEqual(package.Sha256)
            || (package.Kind == PackageKind.Status && package.StatusCode != "05" && p.Package.StatusCode == package.StatusCode && p.Package.StatusTarget == package.StatusTarget)
            || (package.Kind == PackageKind.Document && IsNew(package) && IsNew(p.Package)));

    private static bool IsNew(NewPackage package) => package.BusinessType is BusinessDocType.New or BusinessDocType.Revoke;

    private List<(long Id, NewDelivery Delivery)> Deliver(long packageId, NewPackage package, IReadOnlyList<NewDelivery> deliveries)
    {
        var created = new List<(long, NewDelivery)>();
        foreach (var delivery in deliveries.Where(n => !Deliveries.Any(d => d.PackageId == packageId && d.Delivery.Recipient == n.Recipient)))
        {
            var stored = new StoredDelivery(++_lastId, packageId, delivery, package.ReceivedAt);
            Deliveries.Add(stored);
            created.Add((stored.Id, delivery));
        }

        return created;
    }

    private Task<IReadOnlyList<PendingItem>> Pending(Func<StoredDelivery, bool> whose, PackageKind kind, int max) =>
        Task.FromResult<IReadOnlyList<PendingItem>>([.. Deliveries
            .Where(d => d.Delivery.Mode == DeliveryMode.Pull && d.State is DeliveryState.Pending or DeliveryState.Delivered && PackageOf(d).Kind == kind && whose(d))
            .OrderBy(d => d.Id)
            .Take(max)
            .Select(d => Item(d, PackageOf(d)))]);

    private static PendingItem Item(StoredDelivery delivery, NewPackage package) => new()
    {
        Id = delivery.Id,
        DocumentId = package.DocumentId,
        From = package.From,
        To = delivery.Delivery.Recipient,
        CodeNumber = package.CodeNumber,
        CodeNotation = package.CodeNotation,
        Subject = package.Subject,
        StatusCode = package.StatusCode,
        ReceivedAt = package.ReceivedAt,
        Size = package.Body.Length,
        State = delivery.State,
        UpdatedAt = delivery.ChangedAt,
    };

    private NewPackage PackageOf(StoredDelivery delivery) => Packages.Single(p => p.Id == delivery.PackageId).Package;
}

/// <summary>A package as the store keeps it.</summary>
internal sealed record StoredPackage(long Id, NewPackage Package, Acceptance Acceptance);

/// <summary>A delivery as the store keeps it: created pending, or failed when it has no route.</summary>
internal sealed class StoredDelivery(long id, long packageId, NewDelivery delivery, DateTimeOffset createdAt)
{
    public long Id { get; } = id;

    public long PackageId { get; } = packageId;

    public NewDelivery Delivery { get; } = delivery;

    public DeliveryState State { get; private set; } = delivery.FailureCode is null ? DeliveryState.Pending : DeliveryState.Failed;

    public string? LastError { get; private set; } = delivery.Failure;

    /// <summary>Who changed the state last (the store's ledger actor); null while as created.</summary>
    public string? ChangedBy { get; private set; }

    public DateTimeOffset ChangedAt { get; private set; } = createdAt;

    public void Change(DeliveryState state, string? error, string actor, DateTimeOffset at) =>
        (State, LastError, ChangedBy, ChangedAt) = (state, error ?? LastError, actor, at);
}
