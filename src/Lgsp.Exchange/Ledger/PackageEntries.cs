using Lgsp.Edxml.Model;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Ledger;

/// <summary>The ledger entries about packages as a whole: taken, refused, and a status routed.</summary>
public static class PackageEntries
{
    /// <summary><see cref="LedgerKind.PackageReceived"/>: the package was accepted and stored, written in
    /// the transaction of the package row; its seq is what the receipt names. Actor: the sending
    /// system.</summary>
    /// <param name="package">The package stored. Detail: <c>kind</c> (document or status), <c>system</c>,
    /// <c>from</c>, <c>documentId</c>, <c>sha256</c> and <c>size</c> of the bytes, <c>policy</c> (strict
    /// or legacy), <c>signature</c> (its verdict), <c>signer</c>, <c>signerSha256</c>,
    /// <c>signerBinding</c>, a status's <c>statusCode</c>, the <c>hops</c> it came through, and
    /// <see cref="LedgerDetailKeys.PreviousReceiptSha256"/> when another hub forwarded it, and the
    /// <c>warnings</c> the judgement gave (<c>code field</c> each; absent when none), and
    /// <c>inheritedVerdict</c> when the legacy policy was inherited over an <c>inherit</c> link: the
    /// previous <c>hub</c>, its <c>policy</c> (legacy), its receipt's <c>receiptSha256</c> and, when it came
    /// in full (a pull), the <c>receipt</c> (base64).</param>
    /// <param name="packageId">The package row.</param>
    public static NewLedgerEntry Received(NewPackage package, long packageId)
    {
        ArgumentNullException.ThrowIfNull(package);
        return new NewLedgerEntry(LedgerKind.PackageReceived, package.SenderSystem, package.ReceivedAt, new
        {
            kind = NewLedgerEntry.Word(package.Kind),
            system = package.SenderSystem,
            from = package.From,
            documentId = package.DocumentId,
            sha256 = LedgerChain.Hex(package.Sha256),
            size = package.Body.Length,
            policy = package.Legacy ? "legacy" : "strict",
            signature = package.Signature,
            signer = package.SignerSubject,
            signerSha256 = package.SignerSha256 is null ? null : LedgerChain.Hex(package.SignerSha256),
            signerBinding = package.SignerBinding,
            statusCode = package.StatusCode,
            hops = package.Hops,
            previousReceiptSha256 = package.PreviousReceiptSha256,
            warnings = package.Warnings.Count == 0 ? null : package.Warnings,
            inheritedVerdict = package.LegacyInheritedFrom is { } previous
                ? new
                {
                    hub = previous,
                    policy = "legacy",
                    receiptSha256 = package.PreviousReceiptSha256,
                    receipt = package.InheritedReceipt is { } receipt ? Convert.ToBase64String(receipt) : null,
                }
                : null,
        }, packageId, package.DocumentId);
    }

    /// <summary><see cref="LedgerKind.PackageRefused"/>: the accept path refused a package, in a
    /// transaction of its own; nothing else is stored for it. Actor: the sending system.</summary>
    /// <param name="refusal">What was refused. Detail: <c>kind</c> expected, <c>system</c>, <c>from</c>
    /// as claimed (when readable), the refusal's <c>code</c> and <c>field</c>, <c>sha256</c> and
    /// <c>size</c> of the body.</param>
    public static NewLedgerEntry Refused(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new NewLedgerEntry(LedgerKind.PackageRefused, refusal.SenderSystem, refusal.At, new
        {
            kind = NewLedgerEntry.Word(refusal.Kind),
            system = refusal.SenderSystem,
            from = refusal.From,
            code = refusal.Code,
            field = refusal.Field,
            sha256 = refusal.Sha256,
            size = refusal.Size,
        });
    }

    /// <summary><see cref="LedgerKind.StatusRouted"/>: a status package was stored and the deliveries it
    /// is about took its code, in the transaction of the package. Actor: <c>hub</c>.</summary>
    /// <param name="status">The status package. Detail: its <c>code</c> and the agency it is <c>to</c>.</param>
    /// <param name="packageId">The status package's row.</param>
    /// <param name="updates">The deliveries whose last status code it set (detail <c>updates</c>).</param>
    public static NewLedgerEntry StatusRouted(NewPackage status, long packageId, IReadOnlyList<long> updates)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new NewLedgerEntry(LedgerKind.StatusRouted, NewLedgerEntry.Hub, status.ReceivedAt,
            new { code = status.StatusCode, to = status.StatusTarget, updates }, packageId, status.DocumentId);
    }
}
