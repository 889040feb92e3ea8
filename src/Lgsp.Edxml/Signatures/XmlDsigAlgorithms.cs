using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>The XMLDSig algorithm identifiers this library signs with and accepts.</summary>
/// <remarks>Stateless and thread safe.</remarks>
public static class XmlDsigAlgorithms
{
    /// <summary>The XMLDSig namespace, <c>http://www.w3.org/2000/09/xmldsig#</c>.</summary>
    public const string Namespace = SignedXml.XmlDsigNamespaceUrl;

    /// <summary>RSA PKCS#1 v1.5 with SHA-256 (what <see cref="PackageSigner"/> uses for RSA keys).</summary>
    public const string RsaSha256 = SignedXml.XmlDsigRSASHA256Url;

    /// <summary>RSA PKCS#1 v1.5 with SHA-384.</summary>
    public const string RsaSha384 = SignedXml.XmlDsigRSASHA384Url;

    /// <summary>RSA PKCS#1 v1.5 with SHA-512.</summary>
    public const string RsaSha512 = SignedXml.XmlDsigRSASHA512Url;

    /// <summary>RSA PKCS#1 v1.5 with SHA-1; accepted only under <see cref="SignaturePolicy.AllowSha1"/>.</summary>
    public const string RsaSha1 = SignedXml.XmlDsigRSASHA1Url;

    /// <summary>ECDSA with SHA-256, signature value <c>r||s</c> (what <see cref="PackageSigner"/> uses
    /// for EC keys).</summary>
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    /// <summary>ECDSA with SHA-384.</summary>
    public const string EcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";

    /// <summary>ECDSA with SHA-512.</summary>
    public const string EcdsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";

    /// <summary>SHA-256 digest.</summary>
    public const string Sha256 = SignedXml.XmlDsigSHA256Url;

    /// <summary>SHA-384 digest.</summary>
    public const string Sha384 = SignedXml.XmlDsigSHA384Url;

    /// <summary>SHA-512 digest.</summary>
    public const string Sha512 = SignedXml.XmlDsigSHA512Url;

    /// <summary>SHA-1 digest; accepted only under <see cref="SignaturePolicy.AllowSha1"/>.</summary>
    public const string Sha1 = SignedXml.XmlDsigSHA1Url;

    /// <summary>The enveloped-signature transform.</summary>
    public const string EnvelopedSignature = SignedXml.XmlDsigEnvelopedSignatureTransformUrl;

    /// <summary>Exclusive XML canonicalization 1.0 without comments.</summary>
    public const string ExclusiveC14N = SignedXml.XmlDsigExcC14NTransformUrl;

    /// <summary>Inclusive XML canonicalization 1.0 without comments.</summary>
    public const string InclusiveC14N = SignedXml.XmlDsigC14NTransformUrl;

    /// <summary>The namespace of the exclusive canonicalization <c>InclusiveNamespaces</c> element.</summary>
    internal const string ExclusiveC14NNamespace = "http://www.w3.org/2001/10/xml-exc-c14n#";

    /// <summary>The XMLDSig 1.1 namespace (<c>ECKeyValue</c> and friends).</summary>
    internal const string Dsig11Namespace = "http://www.w3.org/2009/xmldsig11#";

    /// <summary>Canonicalization methods allowed for <c>SignedInfo</c> and as reference transforms.</summary>
    internal static readonly FrozenSet<string> Canonicalizations =
        new[] { ExclusiveC14N, InclusiveC14N }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Signature methods by key kind; SHA-1 separately.</summary>
    internal static readonly FrozenDictionary<string, bool> SignatureMethodIsEcdsa = new Dictionary<string, bool>
    {
        [RsaSha256] = false, [RsaSha384] = false, [RsaSha512] = false, [RsaSha1] = false,
        [EcdsaSha256] = true, [EcdsaSha384] = true, [EcdsaSha512] = true,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Digest methods and the hash they use.</summary>
    internal static readonly FrozenDictionary<string, HashAlgorithmName> Digests = new Dictionary<string, HashAlgorithmName>
    {
        [Sha256] = HashAlgorithmName.SHA256, [Sha384] = HashAlgorithmName.SHA384,
        [Sha512] = HashAlgorithmName.SHA512, [Sha1] = HashAlgorithmName.SHA1,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The hash a signature method signs (what its <c>SignatureDescription</c> digests <c>SignedInfo</c> with).</summary>
    internal static HashAlgorithmName SignatureHash(string signatureMethod) => signatureMethod switch
    {
        RsaSha256 or EcdsaSha256 => HashAlgorithmName.SHA256,
        RsaSha384 or EcdsaSha384 => HashAlgorithmName.SHA384,
        RsaSha512 or EcdsaSha512 => HashAlgorithmName.SHA512,
        RsaSha1 => HashAlgorithmName.SHA1,
        _ => throw new CryptographicException($"Unsupported signature method {signatureMethod}."),
    };

    /// <summary>True when the algorithm uses SHA-1.</summary>
    internal static bool IsSha1(string algorithm) => algorithm is RsaSha1 or Sha1;

    internal static HashAlgorithm CreateHash(HashAlgorithmName name) => name.Name switch
    {
        "SHA256" => SHA256.Create(),
        "SHA384" => SHA384.Create(),
        "SHA512" => SHA512.Create(),
        "SHA1" => SHA1.Create(),
        _ => throw new CryptographicException($"Unsupported hash {name}."),
    };
}
