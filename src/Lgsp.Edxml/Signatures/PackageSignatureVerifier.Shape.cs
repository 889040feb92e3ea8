using System.Xml;
using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Signatures;

// The shape of the signature, checked before any cryptography: its content, SignedInfo, the reference, the transforms.
public sealed partial class PackageSignatureVerifier
{
    /// <summary>The parts of <c>SignedInfo</c> the checks need, read without trusting them.</summary>
    private sealed record Shape(
        string SignatureMethod,
        string DigestMethod,
        byte[] DigestValue,
        bool Enveloped,
        string Canonicalization,
        string? InclusivePrefixes);

    private Shape? Inspect(XmlElement signature, List<EdxmlError> errors, out string? method, out string? digestMethod)
    {
        method = digestMethod = null;
        if (!OnlySignatureContent(signature, errors))
        {
            return null;
        }

        var info = PackageLayout.DsChildren(signature, "SignedInfo").Single();
        var c14n = Algorithm(info, "CanonicalizationMethod");
        if (c14n is null || !XmlDsigAlgorithms.Canonicalizations.Contains(c14n))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureAlgorithmNotAllowed, SignedInfoField + "/CanonicalizationMethod", c14n ?? "(none)"));
        }

        method = Algorithm(info, "SignatureMethod");
        if (method is null || !XmlDsigAlgorithms.SignatureMethodIsEcdsa.ContainsKey(method) || (XmlDsigAlgorithms.IsSha1(method) && !Policy.AllowSha1))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureAlgorithmNotAllowed, SignedInfoField + "/SignatureMethod", method ?? "(none)"));
        }

        var references = PackageLayout.DsChildren(info, "Reference").ToList();
        if (references.Count != 1)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureReferenceInvalid, SignedInfoField, $"found {references.Count} references"));
            return null;
        }

        var reference = references[0];
        var uri = reference.GetAttributeNode("URI");
        if (uri is null || uri.Value.Length != 0)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureReferenceInvalid, ReferenceField,
                uri is null ? "the reference has no URI attribute" : $"the reference URI is \"{uri.Value}\""));
        }

        var (enveloped, canonicalization, prefixes) = InspectTransforms(reference, errors);

        digestMethod = Algorithm(reference, "DigestMethod");
        if (digestMethod is null || !XmlDsigAlgorithms.Digests.ContainsKey(digestMethod) || (XmlDsigAlgorithms.IsSha1(digestMethod) && !Policy.AllowSha1))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureAlgorithmNotAllowed, ReferenceField + "/DigestMethod", digestMethod ?? "(none)"));
        }

        byte[]? digestValue = null;
        var digestElement = PackageLayout.DsChildren(reference, "DigestValue").FirstOrDefault();
        try
        {
            digestValue = digestElement is null ? null : Convert.FromBase64String(digestElement.InnerText);
        }
        catch (FormatException)
        {
            // Reported below.
        }

        if (digestValue is null)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, ReferenceField + "/DigestValue", "the reference has no base64 DigestValue"));
        }

        return errors.Count > 0 || method is null || digestMethod is null || digestValue is null
            ? null
            : new Shape(method, digestMethod, digestValue, enveloped, canonicalization, prefixes);
    }

    /// <summary>Nothing inside the signature is covered by the enveloped reference, so it may hold
    /// only what XMLDSig needs: <c>SignedInfo</c>, <c>SignatureValue</c> and <c>KeyInfo</c>, made of
    /// XMLDSig elements. An <c>Object</c>, or an edXML element tucked into <c>KeyInfo</c>, would be
    /// unsigned content a careless reader could pick up (a wrapping attack).</summary>
    private static bool OnlySignatureContent(XmlElement signature, List<EdxmlError> errors)
    {
        var children = PackageLayout.ChildElements(signature).ToList();
        var unexpected = children
            .Where(e => e.NamespaceURI != XmlDsigAlgorithms.Namespace || e.LocalName is not ("SignedInfo" or "SignatureValue" or "KeyInfo"))
            .Select(e => e.Name)
            .Concat(signature.GetElementsByTagName("*").OfType<XmlElement>()
                .Where(e => e.NamespaceURI is not (XmlDsigAlgorithms.Namespace or XmlDsigAlgorithms.ExclusiveC14NNamespace or XmlDsigAlgorithms.Dsig11Namespace))
                .Select(e => e.Name))
            .Distinct()
            .ToList();

        if (unexpected.Count > 0)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignatureField,
                $"the signature contains {string.Join(", ", unexpected)}; only SignedInfo, SignatureValue and KeyInfo made of XMLDSig elements are allowed, because nothing inside the signature is signed"));
            return false;
        }

        if (children.Count(e => e.LocalName == "SignedInfo") != 1 || children.Count(e => e.LocalName == "SignatureValue") != 1 || children.Count(e => e.LocalName == "KeyInfo") > 1)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignatureField,
                "the signature must have one SignedInfo, one SignatureValue and at most one KeyInfo"));
            return false;
        }

        return true;
    }

    private static (bool Enveloped, string Canonicalization, string? Prefixes) InspectTransforms(XmlElement reference, List<EdxmlError> errors)
    {
        const string field = ReferenceField + "/Transforms/Transform";
        bool enveloped = false, canonicalized = false;
        var canonicalization = XmlDsigAlgorithms.InclusiveC14N; // XMLDSig's implicit final conversion
        string? prefixes = null;

        var transforms = PackageLayout.DsChildren(reference, "Transforms").ToList();
        if (transforms.Count > 1)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureTransformNotAllowed, ReferenceField + "/Transforms", "(more than one Transforms element)"));
            return (enveloped, canonicalization, prefixes);
        }

        foreach (var transform in transforms.SelectMany(t => PackageLayout.ChildElements(t)))
        {
            var algorithm = transform.NamespaceURI == XmlDsigAlgorithms.Namespace && transform.LocalName == "Transform"
                ? transform.GetAttribute("Algorithm")
                : $"{{{transform.NamespaceURI}}}{transform.LocalName}";

            if (algorithm == XmlDsigAlgorithms.EnvelopedSignature && !enveloped && !canonicalized)
            {
                enveloped = true;
            }
            else if (XmlDsigAlgorithms.Canonicalizations.Contains(algorithm) && !canonicalized)
            {
                canonicalized = true;
                canonicalization = algorithm;
                if (algorithm == XmlDsigAlgorithms.ExclusiveC14N)
                {
                    prefixes = transform.ChildNodes.OfType<XmlElement>()
                        .FirstOrDefault(e => e.LocalName == "InclusiveNamespaces" && e.NamespaceURI == XmlDsigAlgorithms.ExclusiveC14NNamespace)
                        ?.GetAttribute("PrefixList");
                }
            }
            else
            {
                var why = algorithm == XmlDsigAlgorithms.EnvelopedSignature || XmlDsigAlgorithms.Canonicalizations.Contains(algorithm)
                    ? $"{algorithm} (repeated or out of order)"
                    : algorithm;
                errors.Add(EdxmlError.Create(ErrorCode.SignatureTransformNotAllowed, field, why));
            }
        }

        return (enveloped, canonicalization, prefixes);
    }

    private static string? Algorithm(XmlElement parent, string localName)
    {
        var elements = PackageLayout.DsChildren(parent, localName).ToList();
        return elements.Count == 1 && elements[0].HasAttribute("Algorithm") ? elements[0].GetAttribute("Algorithm") : null;
    }
}
