namespace Lgsp.Exchange.Storage;

/// <summary>One ledger entry as a trace shows it.</summary>
/// <param name="Seq">Ledger position.</param>
/// <param name="At">When.</param>
/// <param name="Kind">One of <see cref="Ledger.LedgerKind"/>.</param>
/// <param name="Actor">Who (a client system id, <c>hub</c>, or an operator).</param>
/// <param name="Detail">The entry's detail, JSON, without the next hub's receipt, which <see cref="PeerReceipt"/>
/// carries (its bytes would otherwise appear twice in every trace).</param>
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

    /// <summary>Set when an earlier event of the same trace carries the same <see cref="PeerReceipt"/>
    /// (the next hub answers a repeated forward with its first receipt): that event's seq. A trace writes
    /// the receipt's bytes once, there, and here only this reference.</summary>
    public long? PeerReceiptShownAt { get; init; }

    /// <summary>On a <c>package.received</c> entry of a package another hub forwarded: the SHA-256
    /// (hex) of that hub's receipt for it (ledger detail <see cref="Ledger.LedgerDetailKeys.PreviousReceiptSha256"/>).</summary>
    public string? PreviousReceiptSha256 { get; init; }
}
