using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Signatures;

/// <summary>
/// What the signer of a signed document (<see cref="SignedXmlDocument"/>: receipts, checkpoints,
/// countersignatures, evidence statements) must satisfy: the trust its certificate must chain to
/// (roots, and the CRLs that trust carries), the untrusted certificates that may help build that
/// chain, and which certificates may sign at all (<see cref="Pinned"/>).
/// </summary>
/// <remarks>
/// <para>Every check of a hub-signed document's signer goes through this one record and
/// <see cref="SignedXmlDocument.Verify"/>, so a rule that applies to all of them is added here once
/// rather than at each caller.</para>
/// <para>A valid chain only says "some certificate under the root": every agency seal under the
/// national root has one. A hub's own documents are therefore checked with <see cref="Pinned"/>
/// set to the hub's signing certificates; a signature by any other certificate fails with
/// <c>SignerNotPinned</c> even when its chain is valid. Revocation is the trust's: a
/// <see cref="CertificateTrust"/> built with CRLs refuses a revoked hub certificate.</para>
/// <para>The instant the chain is checked at is not part of the check: it belongs to the document
/// (its signing time) and is passed with it. Immutable and thread safe when its trust is.</para>
/// </remarks>
/// <param name="Trust">The trust the signer certificate must chain to; null checks the signature
/// only, and the verdict is then never trusted.</param>
public sealed record SignerCheck(ICertificateTrust? Trust)
{
    /// <summary>Checks the signature only: no signer is ever trusted. For reading what a signed
    /// document states when who signed it is judged elsewhere (or not at all).</summary>
    public static SignerCheck SignatureOnly { get; } = new(Trust: null);

    /// <summary>Untrusted certificates that may help build the chain, besides those the signature
    /// carries in <c>X509Data</c> (for example an evidence bundle's certificate chain).</summary>
    public IReadOnlyList<X509Certificate2> ExtraCertificates { get; init; } = [];

    /// <summary>The SHA-256 fingerprints (lower-case hex of the DER) of the only certificates that may
    /// sign: the hub's current signing certificate and, for key rotation, the previous ones (each
    /// stays valid for what it signed). Empty: any certificate the trust accepts may sign.</summary>
    public IReadOnlySet<string> Pinned { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>True when <see cref="Pinned"/> names at least one certificate.</summary>
    public bool IsPinned => Pinned.Count > 0;

    /// <summary>True when <paramref name="signer"/> may sign: nothing is pinned, or it is pinned.</summary>
    public bool Admits(X509Certificate2 signer) => !IsPinned || Pinned.Contains(Fingerprint(signer));

    /// <summary>This check, signed only by <paramref name="certificates"/> (current first, then
    /// previous ones) or the certificates whose fingerprints are <paramref name="fingerprints"/>.</summary>
    /// <exception cref="ArgumentException">A fingerprint is not 64 hex digits.</exception>
    public SignerCheck PinnedTo(IEnumerable<X509Certificate2> certificates, IEnumerable<string>? fingerprints = null)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var pins = new HashSet<string>(Pinned, StringComparer.Ordinal);
        pins.UnionWith(certificates.Select(Fingerprint));
        foreach (var given in fingerprints ?? [])
        {
            var hex = given.Replace(":", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
            pins.Add(hex.Length == 64 && hex.All(char.IsAsciiHexDigit)
                ? hex
                : throw new ArgumentException($"'{given}' is not a SHA-256 fingerprint (64 hex digits).", nameof(fingerprints)));
        }

        return this with { Pinned = pins };
    }

    /// <summary>The SHA-256 fingerprint of a certificate's DER, lower-case hex: what
    /// <see cref="Pinned"/> holds.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }
}
