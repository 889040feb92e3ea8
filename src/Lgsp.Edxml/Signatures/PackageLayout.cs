using System.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>Where the envelope signature lives in an edXML package: the last child of
/// <c>edXML/edXMLEnvelope/edXMLHeader</c>; and what the placeholders the national SDK and some
/// producers write there look like.</summary>
internal static class PackageLayout
{
    /// <summary>The edXML namespace (QCVN 102:2016).</summary>
    public const string EdxmlNamespace = Reading.PackageReader.Namespace;

    /// <summary>True for an element of the edXML vocabulary: the edXML namespace, or no namespace
    /// (tolerated below the root, as some producers write it).</summary>
    public static bool IsEdxml(string localName, string namespaceUri, string expected) =>
        localName == expected && (namespaceUri == EdxmlNamespace || namespaceUri.Length == 0);

    /// <summary>The unique <c>edXMLHeader</c> of the unique <c>edXMLEnvelope</c> of an
    /// <c>edXML</c> root in the edXML namespace, or null with the reason.</summary>
    public static XmlElement? FindHeader(XmlDocument document, out string? problem)
    {
        var root = document.DocumentElement;
        if (root is null || root.LocalName != "edXML" || root.NamespaceURI != EdxmlNamespace)
        {
            problem = $"the root element is not edXML in namespace {EdxmlNamespace}";
            return null;
        }

        var envelopes = ChildElements(root).Where(e => IsEdxml(e.LocalName, e.NamespaceURI, "edXMLEnvelope")).ToList();
        if (envelopes.Count != 1)
        {
            problem = $"the package has {envelopes.Count} edXMLEnvelope elements; exactly one is required";
            return null;
        }

        var headers = ChildElements(envelopes[0]).Where(e => IsEdxml(e.LocalName, e.NamespaceURI, "edXMLHeader")).ToList();
        if (headers.Count != 1)
        {
            problem = $"the envelope has {headers.Count} edXMLHeader elements; exactly one is required";
            return null;
        }

        problem = null;
        return headers[0];
    }

    /// <summary>True for a placeholder: a <c>Signature</c> in the edXML namespace or in no
    /// namespace, or a <c>DigitalSignature</c> (edXML namespace or none).</summary>
    public static bool IsPlaceholder(string localName, string namespaceUri) =>
        IsEdxml(localName, namespaceUri, "Signature") || IsEdxml(localName, namespaceUri, "DigitalSignature");

    /// <summary>Why <paramref name="element"/> is a placeholder, for the finding's sentence.</summary>
    public static string DescribePlaceholder(XmlElement element)
    {
        var where = element.NamespaceURI.Length == 0 ? "in no namespace" : "in the edXML namespace";
        var content = element.HasChildNodes && element.ChildNodes.Cast<XmlNode>().Any(n => n is XmlElement || (n is XmlText t && t.Value!.Trim().Length > 0))
            ? ""
            : ", empty";
        return $"{element.LocalName} {where}{content}, not an XMLDSig Signature in {XmlDsigAlgorithms.Namespace}";
    }

    /// <summary>The element children of <paramref name="parent"/>.</summary>
    public static IEnumerable<XmlElement> ChildElements(XmlNode parent) => parent.ChildNodes.OfType<XmlElement>();

    /// <summary>The element children of <paramref name="parent"/> named <paramref name="localName"/>
    /// in the XMLDSig namespace.</summary>
    public static IEnumerable<XmlElement> DsChildren(XmlElement parent, string localName) =>
        ChildElements(parent).Where(e => e.LocalName == localName && e.NamespaceURI == XmlDsigAlgorithms.Namespace);

    /// <summary>A readable location of <paramref name="node"/>: its element path from the root.</summary>
    public static string PathOf(XmlNode? node)
    {
        var names = new List<string>();
        for (var n = node; n is XmlElement e; n = n.ParentNode)
        {
            names.Add(e.LocalName);
        }

        names.Reverse();
        return names.Count == 0 ? "/" : string.Join('/', names);
    }
}
