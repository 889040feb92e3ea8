using System.Xml;

namespace Lgsp.Edxml.Signatures.Canonical;

/// <summary>
/// Canonical XML 1.0 or Exclusive XML Canonicalization 1.0, both without comments, of a whole
/// document read forward from an <see cref="XmlReader"/>, optionally leaving out one element with its
/// content (the enveloped-signature transform), written into a <see cref="CanonicalSink"/>.
/// </summary>
/// <remarks>
/// <para>One forward pass; the memory held is the stack of open elements and the namespaces rendered
/// on them, plus fixed buffers: text is copied in chunks, so a 50 MB base64 attachment never becomes
/// one string. The reader does the XML 1.0 work the C14N data model assumes: line endings normalised,
/// attribute values normalised, character and predefined entity references replaced, CDATA sections
/// reported as text; it must not expand a DTD (the callers' readers prohibit them).</para>
/// <para>What C14N requires and this does: no XML declaration, no comments; processing instructions
/// kept, separated from the root element by a line feed outside it; whitespace outside the root
/// dropped; empty elements written as start and end tag; namespace declarations first, sorted by
/// prefix (the default first), then attributes sorted by namespace URI and local name; text escapes
/// <c>&amp; &lt; &gt;</c> and CR, attribute values <c>&amp; &lt; "</c>, TAB, LF and CR. Namespaces: a
/// declaration is written only where its value differs from what the nearest output ancestor rendered
/// for that prefix, <c>xmlns=""</c> only where an ancestor rendered a non-empty default; inclusive
/// C14N considers every namespace an element declares, exclusive C14N only those its element or
/// attribute names use, plus the <c>InclusiveNamespaces PrefixList</c> ones treated inclusively.</para>
/// <para>Not thread safe: one instance per document.</para>
/// </remarks>
internal sealed partial class StreamingCanonicalizer
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private static readonly Comparison<(string Prefix, string Uri)> ByPrefix = (a, b) => string.CompareOrdinal(a.Prefix, b.Prefix);

    private static readonly Comparison<Attribute> ByNamespaceThenName = (a, b) =>
    {
        var byNamespace = string.CompareOrdinal(a.NamespaceUri, b.NamespaceUri);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.LocalName, b.LocalName);
    };

    private readonly CanonicalSink _sink;
    private readonly bool _exclusive;
    private readonly string[] _inclusivePrefixes;

    // What the output ancestors rendered, prefix to URI ("" is the default namespace), and how to
    // restore it when each open element ends.
    private readonly Dictionary<string, string> _rendered = new(StringComparer.Ordinal);
    private readonly Stack<(string Prefix, string? Previous)> _undo = new();
    private readonly Stack<(string Name, int UndoMark)> _open = new();

    private readonly List<(string Prefix, string Uri)> _declared = [];
    private readonly List<(string Prefix, string Uri)> _toRender = [];
    private readonly List<Attribute> _attributes = [];
    private readonly char[] _chunk = new char[16 * 1024];
    private bool _afterRoot;

    private readonly record struct Attribute(string Name, string NamespaceUri, string LocalName, string Prefix, string Value);

    /// <summary>A canonicaliser writing into <paramref name="sink"/>.</summary>
    /// <param name="sink">Where the canonical bytes go.</param>
    /// <param name="exclusive">Exclusive C14N when true, inclusive C14N 1.0 otherwise.</param>
    /// <param name="inclusivePrefixes">The exclusive transform's <c>InclusiveNamespaces PrefixList</c>
    /// (whitespace-separated, <c>#default</c> for the default namespace); ignored when not exclusive.</param>
    /// <param name="runs">When the reader reads through a <see cref="LongRunElidingStream"/>: its runs, put
    /// back in place of their placeholders (<see cref="ElidingCanonicalization"/>).</param>
    public StreamingCanonicalizer(CanonicalSink sink, bool exclusive, string? inclusivePrefixes, ElidedRuns? runs = null)
    {
        _sink = sink;
        _runs = runs;
        sink.RefusePlaceholders = runs is not null;
        _exclusive = exclusive;
        _inclusivePrefixes = exclusive && inclusivePrefixes is not null
            ? [.. inclusivePrefixes.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p == "#default" ? "" : p).Distinct(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>Reads <paramref name="reader"/> to its end and writes the canonical form of the document.</summary>
    /// <param name="reader">A reader at the start of the document.</param>
    /// <param name="omit">The document-order index (0 for the root) of the element left out with its
    /// content, or -1 for none.</param>
    /// <param name="onElement">Called at every element start with its index, the left-out element and
    /// its content included, so the caller can look at the document's layout in the same pass.</param>
    public void Write(XmlReader reader, long omit, Action<XmlReader, long>? onElement = null)
    {
        long index = -1;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    index++;
                    onElement?.Invoke(reader, index);
                    if (index == omit)
                    {
                        index = Skip(reader, index, onElement);
                        break;
                    }

                    StartElement(reader);
                    if (reader.IsEmptyElement)
                    {
                        EndElement();
                    }

                    break;
                case XmlNodeType.EndElement:
                    EndElement();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (_open.Count > 0)
                    {
                        CopyText(reader);
                    }

                    break;
                case XmlNodeType.ProcessingInstruction:
                    ProcessingInstruction(reader.Name, reader.Value);
                    break;
            }
        }

        _sink.Flush();
    }

    private static long Skip(XmlReader reader, long index, Action<XmlReader, long>? onElement)
    {
        if (reader.IsEmptyElement)
        {
            return index;
        }

        var depth = reader.Depth;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                index++;
                onElement?.Invoke(reader, index);
            }
            else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
            {
                break;
            }
        }

        return index;
    }

    private void StartElement(XmlReader reader)
    {
        _declared.Clear();
        _attributes.Clear();
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.NamespaceURI == XmlnsNamespace)
                {
                    // xmlns="..." has no prefix and local name xmlns; xmlns:p="..." has prefix xmlns.
                    _declared.Add((reader.Prefix.Length == 0 ? "" : reader.LocalName, reader.Value));
                }
                else
                {
                    _attributes.Add(new Attribute(reader.Name, reader.NamespaceURI, reader.LocalName, reader.Prefix, reader.Value));
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        var mark = _undo.Count;
        _toRender.Clear();
        if (_exclusive)
        {
            Render(reader.Prefix, reader.NamespaceURI);
            foreach (var attribute in _attributes)
            {
                if (attribute.Prefix.Length > 0)
                {
                    Render(attribute.Prefix, attribute.NamespaceUri);
                }
            }

            foreach (var prefix in _inclusivePrefixes)
            {
                // In scope here (declared on this element or an ancestor), whether used or not.
                var uri = reader.LookupNamespace(prefix);
                if (uri is not null)
                {
                    Render(prefix, uri);
                }
            }
        }
        else
        {
            foreach (var (prefix, uri) in _declared)
            {
                Render(prefix, uri);
            }
        }

        _toRender.Sort(ByPrefix);
        _attributes.Sort(ByNamespaceThenName);

        var name = reader.Name;
        _sink.Raw("<");
        _sink.Raw(name);
        foreach (var (prefix, uri) in _toRender)
        {
            _sink.Raw(prefix.Length == 0 ? " xmlns=\"" : " xmlns:");
            if (prefix.Length > 0)
            {
                _sink.Raw(prefix);
                _sink.Raw("=\"");
            }

            _sink.AttributeValue(uri);
            _sink.Raw("\"");
        }

        foreach (var attribute in _attributes)
        {
            _sink.Raw(" ");
            _sink.Raw(attribute.Name);
            _sink.Raw("=\"");
            _sink.AttributeValue(attribute.Value);
            _sink.Raw("\"");
        }

        _sink.Raw(">");
        _open.Push((name, mark));
    }

    /// <summary>Renders the namespace <paramref name="prefix"/> = <paramref name="uri"/> on the
    /// current element unless the output ancestors already did (the xml namespace never is).</summary>
    private void Render(string prefix, string uri)
    {
        if (prefix == "xml")
        {
            return;
        }

        var rendered = _rendered.TryGetValue(prefix, out var value) ? value : null;
        // No default namespace rendered is the same as xmlns="": nothing to undeclare.
        if (uri == (rendered ?? (prefix.Length == 0 ? "" : null)))
        {
            return;
        }

        _toRender.Add((prefix, uri));
        _undo.Push((prefix, rendered));
        _rendered[prefix] = uri;
    }

    private void EndElement()
    {
        var (name, mark) = _open.Pop();
        _sink.Raw("</");
        _sink.Raw(name);
        _sink.Raw(">");
        while (_undo.Count > mark)
        {
            var (prefix, previous) = _undo.Pop();
            if (previous is null)
            {
                _rendered.Remove(prefix);
            }
            else
            {
                _rendered[prefix] = previous;
            }
        }

        _afterRoot = _open.Count == 0;
    }

    private void CopyText(XmlReader reader)
    {
        if (!reader.CanReadValueChunk)
        {
            TextPiece(reader.Value);
            EndOfText();
            return;
        }

        int read;
        while ((read = reader.ReadValueChunk(_chunk, 0, _chunk.Length)) > 0)
        {
            TextPiece(_chunk.AsSpan(0, read));
        }

        EndOfText();
    }

    private void ProcessingInstruction(string target, string data)
    {
        var outside = _open.Count == 0;
        if (outside && _afterRoot)
        {
            _sink.Raw("\n");
        }

        _sink.Raw("<?");
        _sink.Raw(target);
        if (data.Length > 0)
        {
            _sink.Raw(" ");
            _sink.Raw(data);
        }

        _sink.Raw("?>");
        if (outside && !_afterRoot)
        {
            _sink.Raw("\n");
        }
    }
}
