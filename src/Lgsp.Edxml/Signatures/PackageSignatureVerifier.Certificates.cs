using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Signatures;

// The certificates in KeyInfo, and which of them is the signer.
public sealed partial class PackageSignatureVerifier
{
    private static List<X509Certificate2> ReadCertificates(XmlElement signature, List<EdxmlError> errors)
    {
        var result = new List<X509Certificate2>();
        var nodes = PackageLayout.DsChildren(signature, "KeyInfo")
            .SelectMany(k => PackageLayout.DsChildren(k, "X509Data"))
            .SelectMany(d => PackageLayout.DsChildren(d, "X509Certificate"))
            .ToList();

        foreach (var (node, index) in nodes.Select((n, i) => (n, i + 1)))
        {
            try
            {
                result.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(node.InnerText)));
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException)
            {
                errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, KeyInfoField + "/X509Data/X509Certificate",
                    $"certificate {index} in KeyInfo is not a valid X.509 certificate ({ex.Message})"));
            }
        }

        if (nodes.Count == 0)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureCertificateMissing, KeyInfoField));
        }

        return result;
    }

    /// <summary>The signer: the first certificate (in document order) that issued none of the
    /// others; the chain check and the signature check then decide whether it is the right one.</summary>
    private static X509Certificate2 SelectSigner(List<X509Certificate2> certificates)
    {
        foreach (var candidate in certificates)
        {
            var issuesAnother = certificates.Any(other =>
                !ReferenceEquals(other, candidate)
                && other.IssuerName.RawData.AsSpan().SequenceEqual(candidate.SubjectName.RawData)
                && !other.SubjectName.RawData.AsSpan().SequenceEqual(other.IssuerName.RawData));
            if (!issuesAnother)
            {
                return candidate;
            }
        }

        return certificates[0];
    }
}
