using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Signatures;

/// <summary>What a package's envelope signature is.</summary>
public enum SignatureStatus
{
    /// <summary>No signature and no placeholder.</summary>
    Unsigned,

    /// <summary>No XMLDSig signature, only a placeholder (<c>Signature</c> in the edXML namespace or
    /// none, or <c>DigitalSignature</c>), as the national SDK writes.</summary>
    Placeholder,

    /// <summary>An XMLDSig signature that is misplaced, not allowed by the policy, or does not verify.</summary>
    Invalid,

    /// <summary>An XMLDSig signature that verifies cryptographically. Whether its certificate is
    /// trusted is <see cref="SignatureVerdict.IsTrusted"/>.</summary>
    Valid,
}

/// <summary>The outcome of verifying a package's envelope signature.</summary>
/// <param name="Status">What the signature is.</param>
/// <param name="IsValid">True when the signature is well placed, allowed by the policy and verifies
/// cryptographically (digest and signature value) with the signer certificate's key.</param>
/// <param name="IsTrusted">True when <paramref name="IsValid"/> and the signer's chain was checked
/// and trusted. Always false when the verifier has no <see cref="ICertificateTrust"/>. This is the
/// answer to "may the package be accepted as signed".</param>
/// <param name="Signer">The signer certificate (the <c>X509Data</c> certificate that issued no
/// other one there), when the signature carried one.</param>
/// <param name="KeyInfoCertificates">Every certificate in <c>KeyInfo/X509Data</c>, in document order.</param>
/// <param name="SignatureMethod">The <c>SignatureMethod</c> algorithm URI, when present.</param>
/// <param name="DigestMethod">The reference's <c>DigestMethod</c> algorithm URI, when present.</param>
/// <param name="Chain">The trust verdict, when a trust decision was made.</param>
/// <param name="Errors">Every finding, errors and warnings: signature findings (codes
/// <c>Signature*</c>) and the chain's (codes <c>Certificate*</c>, field <c>Signature/KeyInfo</c>).</param>
/// <remarks>Immutable. The certificates were decoded from the package for this verdict; the caller
/// may dispose them.</remarks>
public sealed record SignatureVerdict(
    SignatureStatus Status,
    bool IsValid,
    bool IsTrusted,
    X509Certificate2? Signer,
    IReadOnlyList<X509Certificate2> KeyInfoCertificates,
    string? SignatureMethod,
    string? DigestMethod,
    ChainVerdict? Chain,
    IReadOnlyList<EdxmlError> Errors)
{
    /// <summary>True when any finding is an error (warnings alone do not count).</summary>
    public bool HasErrors => Errors.Any(e => e.IsError);

    /// <summary>A verdict without a signature (unsigned or placeholder).</summary>
    internal static SignatureVerdict WithoutSignature(SignatureStatus status, IReadOnlyList<EdxmlError> errors) =>
        new(status, false, false, null, [], null, null, null, errors);
}
