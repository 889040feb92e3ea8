using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>The XMLDSig signature where a package keeps it, found by reading only as far as the end of
/// <c>edXML/edXMLEnvelope/edXMLHeader</c>, and the layout facts the rest of the document must confirm.</summary>
internal static class SignatureLocator
{
    /// <summary>The signature, in a small document that holds it under copies of its three ancestors
    /// (with their attributes and namespace declarations, which its canonical form depends on).</summary>
    /// <param name="Signature">The <c>Signature</c> element, a child of the copied header.</param>
    /// <param name="ElementIndex">Its position among the package's elements in document order (0 for
    /// the root): what the enveloped-signature transform leaves out.</param>
    public sealed record Located(XmlElement Signature, long ElementIndex);

    /// <summary>Reads <paramref name="xml"/> up to the first XMLDSig <c>Signature</c> child of the first
    /// <c>edXMLHeader</c> of the first <c>edXMLEnvelope</c> of an <c>edXML</c> root; null when there
    /// is none there (the caller then judges the package as a whole).</summary>
    /// <exception cref="EdxmlFormatException">The XML read so far is malformed or breaks a limit.</exception>
    public static Located? Find(byte[] xml, XmlLimits limits)
    {
        using var input = new MemoryStream(xml, writable: false);
        return Find(input, limits);
    }

    /// <inheritdoc cref="Find(byte[], XmlLimits)"/>
    /// <param name="xml">The package's XML from its first byte (read forward, not closed).</param>
    /// <param name="limits">The reading limits.</param>
    public static Located? Find(Stream xml, XmlLimits limits) => Find(xml, limits, out _);

    /// <inheritdoc cref="Find(Stream, XmlLimits)"/>
    /// <param name="xml">The package's XML from its first byte (read forward, not closed).</param>
    /// <param name="limits">The reading limits.</param>
    /// <param name="headerWithoutSignature">When the header was read to its end without a signature in
    /// it: a copy of the header holding only its placeholder children (<c>Signature</c> or
    /// <c>DigitalSignature</c> outside XMLDSig), which is all an unsigned package's verdict needs; else null.</param>
    public static Located? Find(Stream xml, XmlLimits limits, out XmlElement? headerWithoutSignature)
    {
        headerWithoutSignature = null;
        using var reader = SafeXml.CreateReader(xml, limits);
        var skeleton = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        XmlNode parent = skeleton;
        var level = 0; // 0: the root is next; 1: inside it; 2: inside the envelope; 3: inside the header
        long index = -1;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth < level)
            {
                headerWithoutSignature = level == 3 ? (XmlElement)parent : null;
                return null; // the header, envelope or root ended without a signature in the header
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            index++;
            if (reader.Depth != level)
            {
                continue;
            }

            if (level == 3)
            {
                if (reader.LocalName == "Signature" && reader.NamespaceURI == XmlDsigAlgorithms.Namespace)
                {
                    using var subtree = reader.ReadSubtree();
                    subtree.Read();
                    var signature = (XmlElement)parent.AppendChild(skeleton.ReadNode(subtree)!)!;
                    return new Located(signature, index);
                }

                if (PackageLayout.IsPlaceholder(reader.LocalName, reader.NamespaceURI))
                {
                    // Kept for an unsigned package's verdict; its descendants still count in the index.
                    using var subtree = reader.ReadSubtree();
                    subtree.Read();
                    var placeholder = (XmlElement)parent.AppendChild(skeleton.ReadNode(subtree)!)!;
                    index += placeholder.GetElementsByTagName("*").Count;
                }

                continue;
            }

            var expected = level switch { 0 => "edXML", 1 => "edXMLEnvelope", _ => "edXMLHeader" };
            var matches = level == 0
                ? reader.LocalName == expected && reader.NamespaceURI == PackageLayout.EdxmlNamespace
                : PackageLayout.IsEdxml(reader.LocalName, reader.NamespaceURI, expected);
            if (!matches)
            {
                if (level == 0)
                {
                    return null;
                }

                continue;
            }

            if (reader.IsEmptyElement)
            {
                return null;
            }

            parent = parent.AppendChild(CopyStart(reader, skeleton))!;
            level++;
        }

        return null;
    }

    private static XmlElement CopyStart(XmlReader reader, XmlDocument skeleton)
    {
        var element = skeleton.CreateElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                var attribute = skeleton.CreateAttribute(reader.Prefix, reader.LocalName, reader.NamespaceURI);
                attribute.Value = reader.Value;
                element.Attributes.Append(attribute);
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        return element;
    }

    /// <summary>Counts, over the whole package, what the strict verifier requires exactly one of: XMLDSig
    /// signatures anywhere, <c>edXMLEnvelope</c> children of the root, <c>edXMLHeader</c> children of
    /// an envelope. Fed by every element start of a full pass.</summary>
    public sealed class Layout
    {
        private bool _inEnvelope;

        public int Signatures { get; private set; }

        public int Envelopes { get; private set; }

        public int Headers { get; private set; }

        /// <summary>True when the signature found by <see cref="Find(Stream, XmlLimits)"/> is the package's only one and sits
        /// in its only header of its only envelope: what the document-wide check would conclude.</summary>
        public bool IsExpected => Signatures == 1 && Envelopes == 1 && Headers == 1;

        public void See(XmlReader reader, long index)
        {
            if (reader.LocalName == "Signature" && reader.NamespaceURI == XmlDsigAlgorithms.Namespace)
            {
                Signatures++;
            }

            if (reader.Depth == 1)
            {
                _inEnvelope = PackageLayout.IsEdxml(reader.LocalName, reader.NamespaceURI, "edXMLEnvelope");
                Envelopes += _inEnvelope ? 1 : 0;
            }
            else if (reader.Depth == 2 && _inEnvelope && PackageLayout.IsEdxml(reader.LocalName, reader.NamespaceURI, "edXMLHeader"))
            {
                Headers++;
            }
        }

        /// <summary>Reads <paramref name="reader"/> to its end, counting.</summary>
        public void ReadAll(XmlReader reader)
        {
            long index = -1;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    See(reader, ++index);
                }
            }
        }
    }
}
