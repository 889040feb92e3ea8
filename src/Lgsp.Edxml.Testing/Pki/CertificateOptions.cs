using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Testing.Pki;

/// <summary>The kind of key a <see cref="TestPki"/> leaf certificate gets.</summary>
public enum KeyKind
{
    /// <summary>RSA 2048 (signed with PKCS#1 v1.5).</summary>
    Rsa,

    /// <summary>ECDSA on NIST P-256.</summary>
    EcdsaP256,
}

/// <summary>Overrides for a <see cref="TestPki"/> leaf certificate, to make deliberately broken
/// ones (expired, not yet valid, wrong key usage).</summary>
/// <remarks>Immutable. Nothing here is checked against the issuing CA's own validity: a leaf may
/// outlive its issuer if a test wants that.</remarks>
public sealed record CertificateOptions
{
    /// <summary>Start of validity; default one day before issuance.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>End of validity; default two years after issuance.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>The key usage extension (critical); default
    /// <c>DigitalSignature | NonRepudiation</c>. <see cref="X509KeyUsageFlags.None"/> omits the
    /// extension altogether.</summary>
    public X509KeyUsageFlags? KeyUsage { get; init; }
}
