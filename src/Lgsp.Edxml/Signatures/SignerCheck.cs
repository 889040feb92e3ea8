using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Signatures;

/// <summary>
/// What the signer of a signed document (<see cref="SignedXmlDocument"/>: receipts, checkpoints,
/// countersignatures) must satisfy: the trust its certificate must chain to, and the untrusted
/// certificates that may help build that chain.
/// </summary>
/// <remarks>
/// <para>Every check of a hub-signed document's signer goes through this one record and
/// <see cref="SignedXmlDocument.Verify"/>, so a rule that applies to all of them (a pinned signer
/// certificate, a CRL that must cover the chain) is added here once rather than at each caller.</para>
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
}
