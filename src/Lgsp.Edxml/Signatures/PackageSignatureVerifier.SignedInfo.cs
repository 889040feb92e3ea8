using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

// The signature value over SignedInfo, when the reference digest was computed apart (the streaming path).
public sealed partial class PackageSignatureVerifier
{
    /// <summary>
    /// Checks the signature value over <c>SignedInfo</c> exactly as <c>SignedXml.CheckSignature</c>
    /// does before it digests the references (which this verifier has done itself): <c>SignedXml</c>
    /// loads the signature and gives the canonicalisation transform (with its own
    /// <c>InclusiveNamespaces</c>, if any); <c>SignedInfo</c> is re-parsed from its XML on its own, the
    /// namespace declarations and <c>xml:</c> attributes in scope at the signature are added to it the
    /// way <c>SignedXml</c> propagates them, and the transform's digest of that is verified with the
    /// key (RSA PKCS#1 v1.5, or ECDSA <c>r||s</c>).
    /// </summary>
    /// <remarks>The signature is the one <see cref="SignatureLocator"/> copied with its ancestors.</remarks>
    private bool SignedInfoVerifies(XmlElement signature, Shape shape, X509Certificate2 certificate, List<EdxmlError> errors)
    {
        if (!KeyFits(shape, certificate, errors))
        {
            return false;
        }

        try
        {
            var signedXml = new SignedXml(signature.OwnerDocument);
            signedXml.LoadXml(signature);
            var info = PackageLayout.DsChildren(signature, "SignedInfo").Single();
            var alone = SafeXml.LoadDocument(new MemoryStream(Encoding.UTF8.GetBytes(info.OuterXml), writable: false), Policy.Limits);
            AddPropagated(alone.DocumentElement!, signature);

            var c14n = signedXml.SignedInfo!.CanonicalizationMethodObject;
            c14n.LoadInput(alone);
            var hashName = XmlDsigAlgorithms.SignatureHash(shape.SignatureMethod);
            using var hash = XmlDsigAlgorithms.CreateHash(hashName);
            var digest = c14n.GetDigestedOutput(hash);
            var value = signedXml.SignatureValue ?? [];

            bool verifies;
            if (XmlDsigAlgorithms.SignatureMethodIsEcdsa[shape.SignatureMethod])
            {
                using var ecdsa = certificate.GetECDsaPublicKey()!;
                verifies = ecdsa.VerifyHash(digest, value, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
            else
            {
                using var rsa = certificate.GetRSAPublicKey()!;
                verifies = rsa.VerifyHash(digest, value, hashName, RSASignaturePadding.Pkcs1);
            }

            if (verifies)
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
        catch (EdxmlFormatException ex)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignedInfoField, ex.Error.Message));
        }
        catch (FormatException)
        {
            // SignedXml.LoadXml decodes SignatureValue and X509Data itself and lets the decoder's error out.
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignatureField, NotBase64));
        }

        return false;
    }

    private static bool KeyFits(Shape shape, X509Certificate2 certificate, List<EdxmlError> errors)
    {
        var wantsEcdsa = XmlDsigAlgorithms.SignatureMethodIsEcdsa[shape.SignatureMethod];
        var hasEcdsa = certificate.GetKeyAlgorithm() == "1.2.840.10045.2.1";
        var hasRsa = certificate.GetKeyAlgorithm() == "1.2.840.113549.1.1.1";
        if ((wantsEcdsa && !hasEcdsa) || (!wantsEcdsa && !hasRsa))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignedInfoField + "/SignatureMethod",
                $"{shape.SignatureMethod} does not fit the key of {certificate.Subject}"));
            return false;
        }

        return true;
    }

    /// <summary>Adds to the re-parsed <c>SignedInfo</c> what <c>SignedXml</c> carries over from the
    /// signature and its ancestors, nearest first, a name already present winning: every namespace
    /// declaration, the nearest default namespace, every <c>xml:</c> attribute, and a declaration for
    /// each element's or attribute's namespace not declared where it is used. The default namespace is
    /// never added to an unprefixed <c>SignedInfo</c>, whose own XML declares it.</summary>
    private static void AddPropagated(XmlElement target, XmlElement signature)
    {
        var defaultTaken = false;
        for (var node = (XmlNode?)signature; node is not null; node = node.ParentNode)
        {
            if (node is not XmlElement element)
            {
                continue;
            }

            if (!Declares(element, element.Prefix, element.NamespaceURI) && !DeclaredAbove(element, element.Prefix, element.NamespaceURI))
            {
                Add(target, element.Prefix.Length > 0 ? "xmlns:" + element.Prefix : "xmlns", element.NamespaceURI);
            }

            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (!defaultTaken && attribute.LocalName == "xmlns")
                {
                    Add(target, "xmlns", attribute.Value);
                    defaultTaken = true;
                }
                else if (attribute.Prefix is "xmlns" or "xml")
                {
                    Add(target, attribute.Name, attribute.Value);
                }
                else if (attribute.NamespaceURI.Length > 0
                    && !Declares(element, attribute.Prefix, attribute.NamespaceURI)
                    && !DeclaredAbove(element, attribute.Prefix, attribute.NamespaceURI))
                {
                    Add(target, attribute.Prefix.Length > 0 ? "xmlns:" + attribute.Prefix : "xmlns", attribute.NamespaceURI);
                }
            }
        }
    }

    private static void Add(XmlElement target, string name, string value)
    {
        if (target.HasAttribute(name) || (name == "xmlns" && target.Prefix.Length == 0))
        {
            return;
        }

        var attribute = target.OwnerDocument.CreateAttribute(name);
        attribute.Value = value;
        target.SetAttributeNode(attribute);
    }

    private static bool Declares(XmlElement element, string prefix, string uri)
    {
        var name = prefix.Length > 0 ? "xmlns:" + prefix : "xmlns";
        return element.HasAttribute(name) && element.GetAttribute(name) == uri;
    }

    private static bool DeclaredAbove(XmlElement element, string prefix, string uri)
    {
        for (var node = element.ParentNode; node is not null; node = node.ParentNode)
        {
            if (node is XmlElement ancestor && (Declares(ancestor, prefix, uri) || (ancestor.Prefix == prefix && ancestor.NamespaceURI == uri)))
            {
                return true;
            }
        }

        return false;
    }
}
