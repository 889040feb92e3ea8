using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Trust;

/// <summary>
/// Decides whether a signer certificate chains to a configured trust root, offline: custom roots
/// only (never the operating system store), intermediates from configuration or from the
/// signature itself, revocation from loaded CRL files, no downloads.
/// </summary>
/// <remarks>Implementations are thread safe: one instance serves every verification.</remarks>
public interface ICertificateTrust
{
    /// <summary>Builds and checks the chain of <paramref name="certificate"/>.</summary>
    /// <param name="certificate">The signer certificate.</param>
    /// <param name="extraCertificates">Untrusted certificates that may help build the chain
    /// (for example the rest of an XMLDSig <c>X509Data</c> or a CMS certificate set).</param>
    /// <param name="signingTime">When the signature claims to have been made, if known; whether
    /// validity is checked at that time or now is the implementation's stated policy.</param>
    /// <returns>The verdict; never throws for a bad certificate.</returns>
    ChainVerdict Check(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> extraCertificates, DateTimeOffset? signingTime);
}

/// <summary>The outcome of a chain check. Immutable.</summary>
/// <param name="IsTrusted">True when the chain ends at a configured root and no check failed.</param>
/// <param name="Chain">The chain as built, signer first, root last (may be partial on failure).</param>
/// <param name="CheckedAt">The instant validity was evaluated at.</param>
/// <param name="ValidityBasis">Which policy chose <paramref name="CheckedAt"/>: one of the
/// <see cref="Trust.ValidityBasis"/> values, <c>now</c>, <c>signing-time</c>, or
/// <c>now-no-signing-time</c> (the policy asked for the signing time but none was given).</param>
/// <param name="Errors">Why the chain is not trusted (codes <c>Certificate*</c>); warnings (for
/// example <c>CertificateRevocationUnknown</c> when no CRL is loaded) may appear on a trusted
/// chain. Their <see cref="EdxmlError.Field"/> is <c>/</c>: the trust decision does not know where
/// the certificate came from, so callers re-anchor it.</param>
public sealed record ChainVerdict(
    bool IsTrusted,
    IReadOnlyList<X509Certificate2> Chain,
    DateTimeOffset CheckedAt,
    string ValidityBasis,
    IReadOnlyList<EdxmlError> Errors);
