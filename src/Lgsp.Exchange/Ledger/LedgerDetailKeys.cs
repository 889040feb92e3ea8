namespace Lgsp.Exchange.Ledger;

/// <summary>Ledger detail keys that link receipts across hops. Stable strings: traces and evidence
/// bundles read them.</summary>
public static class LedgerDetailKeys
{
    /// <summary>On <see cref="LedgerKind.AttemptSucceeded"/> of a forward to another hub: the base64
    /// of that hub's signed receipt XML.</summary>
    public const string PeerReceipt = "peerReceipt";

    /// <summary>On <see cref="LedgerKind.PackageReceived"/> of a package another hub forwarded: the
    /// SHA-256 (lower-case hex) of that hub's receipt for it.</summary>
    public const string PreviousReceiptSha256 = "previousReceiptSha256";
}
