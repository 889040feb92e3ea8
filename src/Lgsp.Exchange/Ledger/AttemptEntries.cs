using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Ledger;

/// <summary>The ledger entries about one push attempt: started when it is claimed, ended when its
/// outcome is recorded. Actor: <c>hub</c>.</summary>
public static class AttemptEntries
{
    /// <summary><see cref="LedgerKind.AttemptStarted"/>: a push attempt was claimed, in the transaction of
    /// its lease. A hub stopped mid-push leaves it without an ending, which is what happened.</summary>
    /// <param name="work">The claimed delivery. Detail: <c>recipient</c>, and <c>attempt</c>, this
    /// attempt's number.</param>
    /// <param name="viaHub">The hub the package is forwarded to, if any.</param>
    /// <param name="at">When it was claimed.</param>
    /// <returns>The entry; its detail <c>peer</c> is <c>hub:ID</c> for a forward, else <c>agency:CODE</c>,
    /// the recipient whose endpoint is pushed to (absent when it has none). Never the endpoint's URL,
    /// which may carry credentials and which the sender's trace shows: the directory has it.</returns>
    public static NewLedgerEntry Started(PushWork work, string? viaHub, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new NewLedgerEntry(LedgerKind.AttemptStarted, NewLedgerEntry.Hub, at,
            new { recipient = work.Recipient, attempt = work.Attempts + 1, peer = Peer(work, viaHub) },
            work.PackageId, work.DocumentId, work.DeliveryId);
    }

    private static string? Peer(PushWork work, string? viaHub) =>
        viaHub is not null ? "hub:" + viaHub
        : work.Endpoint is not null ? "agency:" + work.Recipient
        : null;

    /// <summary><see cref="LedgerKind.AttemptSucceeded"/> when the attempt delivered the package, else
    /// <see cref="LedgerKind.AttemptFailed"/>: its outcome was recorded while the delivery still waited
    /// for it. Both carry the same detail.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="record">The outcome. Detail: <c>attempt</c>, <c>error</c>, <c>errorCode</c>,
    /// <c>permanent</c> (only when true), <c>nextAttemptAt</c>, and for a forward to another hub that hub's
    /// <c>peerDocId</c> and <see cref="LedgerDetailKeys.PeerReceipt"/> (its signed receipt, base64).</param>
    public static NewLedgerEntry Ended(DeliveryConcerned delivery, PushRecord record)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(record);
        var kind = record.NewState == DeliveryState.Delivered ? LedgerKind.AttemptSucceeded : LedgerKind.AttemptFailed;
        return delivery.Entry(kind, NewLedgerEntry.Hub, record.FinishedAt, new
        {
            recipient = delivery.Recipient,
            attempt = record.Attempt,
            error = record.Error,
            errorCode = record.ErrorCode,
            permanent = record.Permanent ? true : (bool?)null,
            nextAttemptAt = record.NextAttemptAt,
            peerDocId = record.PeerDocId,
            peerReceipt = record.PeerReceipt is { } receipt ? Convert.ToBase64String(receipt) : null,
        });
    }
}
