using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>
/// Finds, in the raw UTF-8 bytes of a package, the byte ranges of the placeholder signatures in
/// <c>edXMLHeader</c> (with the indentation before each) and where the header's end tag starts,
/// so the signer can edit the bytes instead of re-serialising the document: everything else stays
/// byte for byte as the producer wrote it (line endings included, which an XML parser would
/// normalise away).
/// </summary>
/// <remarks>Positions come from the parser's line information (line, 1-based column in UTF-16
/// code units, where CR LF, CR and LF each end a line) translated back to byte offsets.</remarks>
internal static class HeaderLocator
{
    /// <summary>The placeholder ranges to remove (start inclusive, end exclusive, in order) and the
    /// offset of the <c>&lt;</c> of the header's end tag.</summary>
    public sealed record Layout(IReadOnlyList<(int Start, int End)> Placeholders, int HeaderEndTag, string? DeclaredEncoding);

    /// <exception cref="EdxmlFormatException">Malformed or hostile XML, a root other than edXML,
    /// or no usable header.</exception>
    public static Layout Locate(byte[] xml, XmlLimits limits)
    {
        using var stream = new MemoryStream(xml, writable: false);
        using var reader = SafeXml.CreateReader(stream, limits);
        var lineInfo = (IXmlLineInfo)reader;
        var offsets = new OffsetMap(xml);
        var placeholders = new List<(int, int)>();
        string? encoding = null;
        bool inEnvelope = false, seenEnvelope = false, inHeader = false, seenHeader = false;
        var whitespaceStart = -1;

        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.XmlDeclaration)
            {
                encoding = reader.GetAttribute("encoding");
                continue;
            }

            if (!inHeader)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == 1)
                    {
                        inEnvelope = false;
                    }

                    continue;
                }

                if (reader.Depth == 0 && (reader.LocalName != "edXML" || reader.NamespaceURI != PackageLayout.EdxmlNamespace))
                {
                    throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.NotEdxml, "/", reader.Name, PackageLayout.EdxmlNamespace));
                }

                if (reader.Depth == 1 && !seenEnvelope && PackageLayout.IsEdxml(reader.LocalName, reader.NamespaceURI, "edXMLEnvelope"))
                {
                    seenEnvelope = inEnvelope = !reader.IsEmptyElement;
                }
                else if (inEnvelope && reader.Depth == 2 && !seenHeader && PackageLayout.IsEdxml(reader.LocalName, reader.NamespaceURI, "edXMLHeader"))
                {
                    if (reader.IsEmptyElement)
                    {
                        break;
                    }

                    seenHeader = inHeader = true;
                }

                continue;
            }

            // Inside the header: look only at its direct children (depth 3) and its end tag.
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == 2)
            {
                var headerEnd = offsets.At(lineInfo.LineNumber, lineInfo.LinePosition) - 2; // "</"
                return new Layout(placeholders, headerEnd, encoding);
            }

            if (reader.Depth != 3)
            {
                continue;
            }

            switch (reader.NodeType)
            {
                case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    whitespaceStart = offsets.At(lineInfo.LineNumber, lineInfo.LinePosition);
                    break;
                case XmlNodeType.Element when PackageLayout.IsPlaceholder(reader.LocalName, reader.NamespaceURI):
                    var start = offsets.At(lineInfo.LineNumber, lineInfo.LinePosition) - 1; // "<"
                    int end;
                    if (reader.IsEmptyElement)
                    {
                        end = EndOfTag(xml, start, quoted: true);
                    }
                    else
                    {
                        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == 3))
                        {
                        }

                        end = EndOfTag(xml, offsets.At(lineInfo.LineNumber, lineInfo.LinePosition), quoted: false);
                    }

                    placeholders.Add((whitespaceStart >= 0 ? whitespaceStart : start, end));
                    whitespaceStart = -1;
                    break;
                default:
                    whitespaceStart = -1;
                    break;
            }
        }

        throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.MissingField, "edXMLEnvelope/edXMLHeader", "edXMLEnvelope/edXMLHeader (with content)"));
    }

    /// <summary>The offset just past the <c>&gt;</c> that closes the tag starting at or before
    /// <paramref name="from"/>; in a start tag, a <c>&gt;</c> inside a quoted attribute value does
    /// not count.</summary>
    private static int EndOfTag(byte[] xml, int from, bool quoted)
    {
        byte quote = 0;
        for (var i = from; i < xml.Length; i++)
        {
            var b = xml[i];
            if (quote != 0)
            {
                if (b == quote)
                {
                    quote = 0;
                }
            }
            else if (quoted && b is (byte)'"' or (byte)'\'')
            {
                quote = b;
            }
            else if (b == '>')
            {
                return i + 1;
            }
        }

        throw new InvalidOperationException("Unterminated tag after a successful parse.");
    }

    /// <summary>Translates parser positions to byte offsets, walking forward through the UTF-8.</summary>
    private sealed class OffsetMap(byte[] utf8)
    {
        private int _line = 1;
        private int _lineStart;

        public int At(int line, int column)
        {
            if (line < _line)
            {
                _line = 1;
                _lineStart = 0;
            }

            while (_line < line)
            {
                var rest = utf8.AsSpan(_lineStart);
                var br = rest.IndexOfAny((byte)'\r', (byte)'\n');
                if (br < 0)
                {
                    throw new InvalidOperationException($"Line {line} is past the end of the document.");
                }

                var next = _lineStart + br + 1;
                if (rest[br] == '\r' && next < utf8.Length && utf8[next] == '\n')
                {
                    next++;
                }

                _lineStart = next;
                _line++;
            }

            var pos = _lineStart;
            for (var col = 1; col < column; pos++)
            {
                var b = utf8[pos];
                if (b < 0x80 || b >= 0xC0)
                {
                    // A lead byte: one UTF-16 code unit, or two for a 4-byte sequence.
                    col += b >= 0xF0 ? 2 : 1;
                }
            }

            // Skip the continuation bytes of the character just passed, if any.
            while (pos < utf8.Length && (utf8[pos] & 0xC0) == 0x80)
            {
                pos++;
            }

            return pos;
        }
    }
}
