using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Signatures;

// The cryptographic checks: the reference digest recomputed, and the signature value.
public sealed partial class PackageSignatureVerifier
{
    /// <summary>Recomputes the reference digest independently of <c>SignedXml</c>, so a changed
    /// document is told apart from a bad signature value: the whole document without comments,
    /// the signature removed when the enveloped transform says so, canonicalised as the reference
    /// says, hashed.</summary>
    private static bool DigestMatches(XmlDocument document, Shape shape, List<EdxmlError> errors)
    {
        var copy = (XmlDocument)document.CloneNode(deep: true);
        if (shape.Enveloped)
        {
            var own = copy.GetElementsByTagName("Signature", XmlDsigAlgorithms.Namespace).OfType<XmlElement>().Single();
            own.ParentNode!.RemoveChild(own);
        }

        Transform c14n = shape.Canonicalization == XmlDsigAlgorithms.ExclusiveC14N
            ? new XmlDsigExcC14NTransform(includeComments: false, shape.InclusivePrefixes)
            : new XmlDsigC14NTransform(includeComments: false);
        c14n.LoadInput(copy);
        using var hash = XmlDsigAlgorithms.CreateHash(XmlDsigAlgorithms.Digests[shape.DigestMethod]);
        var digest = c14n.GetDigestedOutput(hash);

        if (CryptographicOperations.FixedTimeEquals(digest, shape.DigestValue))
        {
            return true;
        }

        errors.Add(EdxmlError.Create(ErrorCode.SignatureDigestMismatch, ReferenceField + "/DigestValue"));
        return false;
    }

    private static bool SignatureValueVerifies(XmlDocument document, XmlElement signature, Shape shape, X509Certificate2 certificate, List<EdxmlError> errors)
    {
        if (!KeyFits(shape, certificate, errors))
        {
            return false;
        }

        try
        {
            // SignedXml keeps its default resolver, which throws on any external reference; with
            // URI="" enforced above there is none to dereference anyway.
            var signedXml = new SignedXml(document);
            signedXml.LoadXml(signature);
            if (signedXml.CheckSignature(certificate, verifySignatureOnly: true))
            {
                return true;
            }

            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, "Signature/SignatureValue",
                $"the signature value does not verify with the key of {certificate.Subject}"));
        }
        catch (CryptographicException ex)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignatureField, ex.Message));
        }
        catch (FormatException)
        {
            // SignedXml.LoadXml decodes SignatureValue and X509Data itself and lets the decoder's error out.
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignatureField, NotBase64));
        }

        return false;
    }
}
