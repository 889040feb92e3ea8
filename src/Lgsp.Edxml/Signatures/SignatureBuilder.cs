using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>The one place an enveloped XMLDSig signature over a whole document is computed:
/// exclusive C14N, RSA-SHA256 or ECDSA-SHA256, SHA-256 digest, <c>X509Data</c> with the signer and
/// its chain (self-signed roots left out).</summary>
internal static class SignatureBuilder
{
    internal static XmlElement Compute(XmlDocument document, X509Certificate2 signer, IEnumerable<X509Certificate2>? chain)
    {
        EcdsaSignatureDescription.EnsureRegistered();
        using var rsa = signer.GetRSAPrivateKey();
        using var ecdsa = rsa is null ? signer.GetECDsaPrivateKey() : null;
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)rsa ?? ecdsa
            ?? (signer.HasPrivateKey
                ? throw new NotSupportedException($"The key of {signer.Subject} is neither RSA nor ECDSA.")
                : throw new ArgumentException($"The certificate of {signer.Subject} has no private key.", nameof(signer)));

        var signedXml = new SignedXml(document) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = XmlDsigAlgorithms.ExclusiveC14N;
        signedXml.SignedInfo.SignatureMethod = key is RSA ? XmlDsigAlgorithms.RsaSha256 : XmlDsigAlgorithms.EcdsaSha256;

        var reference = new Reference(string.Empty) { DigestMethod = XmlDsigAlgorithms.Sha256 };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);

        var x509Data = new KeyInfoX509Data(signer);
        foreach (var cert in chain ?? [])
        {
            var selfSigned = cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData);
            if (!selfSigned && !cert.RawData.AsSpan().SequenceEqual(signer.RawData))
            {
                x509Data.AddCertificate(cert);
            }
        }

        var keyInfo = new KeyInfo();
        keyInfo.AddClause(x509Data);
        signedXml.KeyInfo = keyInfo;

        signedXml.ComputeSignature();
        return signedXml.GetXml();
    }
}
