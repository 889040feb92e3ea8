using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Exchange.Ledger;

/// <summary>The <see cref="LedgerKind.TrustChanged"/> entries: trust material was added, written in the
/// transaction of the change. The detail's <c>change</c> says which; the actor is the
/// administrator.</summary>
public static class TrustEntries
{
    /// <summary>Change <c>root.added</c> or <c>intermediate.added</c>: a CA certificate was added to the
    /// hub's trust.</summary>
    /// <param name="certificate">The certificate. Detail: its <c>subject</c> and <c>sha256</c>.</param>
    /// <param name="root">A trust root; else an intermediate.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry CertificateAdded(X509Certificate2 certificate, bool root, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new NewLedgerEntry(LedgerKind.TrustChanged, actor, at,
            new { change = root ? "root.added" : "intermediate.added", subject = certificate.Subject, sha256 = NewLedgerEntry.Sha256Hex(certificate.RawData) });
    }

    /// <summary>Change <c>crl.added</c>: a certificate revocation list was added.</summary>
    /// <param name="crl">The CRL's bytes. Detail: their <c>sha256</c>.</param>
    /// <param name="issuer">Detail <c>issuer</c>: who issued it.</param>
    /// <param name="thisUpdate">Detail <c>thisUpdate</c>: when it was issued.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry CrlAdded(byte[] crl, string issuer, DateTimeOffset thisUpdate, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(crl);
        return new NewLedgerEntry(LedgerKind.TrustChanged, actor, at, new { change = "crl.added", issuer, thisUpdate, sha256 = NewLedgerEntry.Sha256Hex(crl) });
    }
}
