using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Inbox;

/// <summary>What a client system does after sending: pull its agencies' pending documents and
/// statuses, fetch and confirm them, follow its own documents' deliveries and trace, read the directory.</summary>
/// <remarks>Thread safe. Every operation is limited to the caller's agencies (which ones it acts for is
/// <see cref="AgencyMandate"/>'s rule); a refusal is an <see cref="ExchangeException"/>.</remarks>
public sealed class InboxService(IPackageStore store, IDirectoryStore directory, AgencyMandate mandate, TimeProvider clock)
{
    /// <summary>Pending-list size when the caller gives none.</summary>
    public const int DefaultMaxCount = 100;

    /// <summary>The largest pending list one call returns.</summary>
    public const int MaxMaxCount = 1000;

    /// <summary>Pending packages of a kind for one of the caller's agencies, or all of them.</summary>
    public Task<IReadOnlyList<PendingItem>> PendingAsync(ClientSystem caller, PackageKind kind, string? agency, int? maxCount, CancellationToken ct = default)
    {
        if (maxCount is < 1 or > MaxMaxCount)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "MaxCount", $"MaxCount must be between 1 and {MaxMaxCount}");
        }

        // A hub caller's list is what waits for its hub, whichever agency it is for.
        if (caller.Hub is { } hub)
        {
            return store.PendingViaAsync(hub, agency, kind, maxCount ?? DefaultMaxCount, ct);
        }

        AgencyMandate.CheckNamedRecipient(caller, agency, "Agency");
        IReadOnlyCollection<string> recipients = agency is null ? [.. caller.Agencies] : [agency];
        return store.PendingAsync(recipients, kind, maxCount ?? DefaultMaxCount, ct);
    }

    /// <summary>The exact bytes of a package delivered to one of the caller's agencies, opened for the
    /// caller to stream (dispose it when done); marks it fetched.</summary>
    public async Task<PackageBody> OpenPackageAsync(ClientSystem caller, long deliveryId, CancellationToken ct = default)
    {
        var delivery = await mandate.OwnDeliveryAsync(caller, deliveryId, "Id", ct);
        var body = await store.OpenBodyAsync(delivery.PackageId, ct);
        try
        {
            await store.MarkFetchedAsync(deliveryId, caller.Id, Timestamps.Truncate(clock.GetUtcNow()), ct);
            return body;
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }
    }

    /// <summary>The recipient's confirmation: <c>done</c> or <c>fail</c> (with a reason).</summary>
    public async Task ConfirmAsync(ClientSystem caller, long deliveryId, string outcome, string? reason, CancellationToken ct = default)
    {
        var done = outcome switch
        {
            "done" => true,
            "fail" => false,
            _ => throw ExchangeException.Of(HubErrorCode.InvalidRequest, "Outcome", $"Outcome must be 'done' or 'fail', not '{outcome}'"),
        };
        await mandate.OwnDeliveryAsync(caller, deliveryId, "Id", ct);
        await store.ConfirmAsync(deliveryId, done, done ? null : reason ?? "refused by the recipient's system", caller.Id,
            Timestamps.Truncate(clock.GetUtcNow()), ct);
    }

    /// <summary>The per-recipient deliveries of a document the caller's agencies sent (for a hub caller:
    /// that its hub forwarded here), as a sender sees them (<see cref="SenderView"/>: no endpoint in a
    /// failure's text).</summary>
    public async Task<IReadOnlyList<DeliveryView>> DeliveriesAsync(ClientSystem caller, string documentId, CancellationToken ct = default)
    {
        // A hub caller follows what its hub forwarded here, whichever agency sent it.
        var deliveries = caller.Hub is { } hub
            ? await store.DeliveriesForwardedByAsync(Required(documentId, "DocumentId"), hub, ct)
            : await store.DeliveriesOfAsync(Required(documentId, "DocumentId"), [.. caller.Agencies], ct);
        return deliveries.Count > 0 ? [.. deliveries.Select(SenderView.Of)] : throw ExchangeException.Of(HubErrorCode.NotFound, "DocumentId", "DocumentId", documentId);
    }

    /// <summary>The ledger story of a document the caller's agencies sent (for a hub caller: that its hub
    /// forwarded here); of any document for an auditor.
    /// Either sees it as <see cref="SenderView"/> shows it: no endpoint in a peer or a failure's text.</summary>
    public async Task<IReadOnlyList<TraceEvent>> TraceAsync(ClientSystem caller, string documentId, CancellationToken ct = default)
    {
        var events = caller.Hub is { } hub && !caller.IsAuditor
            ? await store.TraceForwardedByAsync(Required(documentId, "DocumentId"), hub, ct)
            : await store.TraceAsync(Required(documentId, "DocumentId"), caller.IsAuditor ? null : [.. caller.Agencies], ct);
        return events.Count > 0 ? [.. PeerReceipts.ShownOnce(events).Select(SenderView.Of)] : throw ExchangeException.Of(HubErrorCode.NotFound, "DocumentId", "DocumentId", documentId);
    }

    /// <summary>The directory, or its changes since a time.</summary>
    public Task<IReadOnlyList<Agency>> AgenciesAsync(DateTimeOffset? changedSince, CancellationToken ct = default) =>
        directory.ListAgenciesAsync(changedSince, ct);

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw ExchangeException.Of(HubErrorCode.InvalidRequest, field, $"{field} is required") : value;
}
