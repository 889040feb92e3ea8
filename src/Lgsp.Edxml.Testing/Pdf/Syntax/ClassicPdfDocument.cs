using Lgsp.Edxml.Pdf.Syntax;

namespace Lgsp.Edxml.Testing.Pdf.Syntax;

/// <summary>
/// A PDF read through its classic cross-reference tables (every revision, newest first), enough to
/// look up the objects an incremental update must rewrite. Files with cross-reference streams,
/// hybrid references or encryption are refused: their objects may live in object streams or be
/// encrypted, which this reader does not handle.
/// </summary>
/// <remarks>Immutable after <see cref="Open"/>; not meant for untrusted input (it serves the signer).</remarks>
internal sealed class ClassicPdfDocument
{
    private const int MaxRevisions = 1_000;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly Dictionary<int, (long Offset, int Generation)> _offsets;

    private ClassicPdfDocument(ReadOnlyMemory<byte> data, PdfDictionary trailer, long lastXref, Dictionary<int, (long, int)> offsets)
    {
        _data = data;
        Trailer = trailer;
        LastCrossReferenceOffset = lastXref;
        _offsets = offsets;
    }

    /// <summary>The newest trailer.</summary>
    public PdfDictionary Trailer { get; }

    /// <summary>Where the newest cross-reference section starts (the new section's <c>/Prev</c>).</summary>
    public long LastCrossReferenceOffset { get; }

    /// <summary>The trailer's <c>/Size</c>: one more than the highest object number in use.</summary>
    public int Size => Trailer.Get<PdfNumber>("Size") is { } n && n.TryGetInt64(out var v) && v is > 0 and < int.MaxValue
        ? (int)v
        : throw new FormatException("The trailer has no valid /Size.");

    /// <exception cref="NotSupportedException">Cross-reference streams, hybrid files or encryption.</exception>
    /// <exception cref="FormatException">No readable cross-reference table.</exception>
    public static ClassicPdfDocument Open(ReadOnlyMemory<byte> data)
    {
        var span = data.Span;
        var tailStart = Math.Max(0, span.Length - 2048);
        var sx = span[tailStart..].LastIndexOf("startxref"u8);
        if (sx < 0)
        {
            throw new FormatException("No 'startxref' near the end of the file.");
        }

        var parser = new PdfParser(data, tailStart + sx + "startxref".Length);
        var offsetToken = parser.Next();
        if (offsetToken.Kind != PdfTokenKind.Integer || !long.TryParse(parser.Text(offsetToken), out var xref)
            || xref < 0 || xref >= span.Length)
        {
            throw new FormatException("The 'startxref' offset is not a position in the file.");
        }

        var offsets = new Dictionary<int, (long, int)>();
        PdfDictionary? newestTrailer = null;
        var visited = new HashSet<long>();
        for (long? next = xref; next is { } at; )
        {
            if (!visited.Add(at) || visited.Count > MaxRevisions || at < 0 || at >= span.Length)
            {
                throw new FormatException("The cross-reference /Prev chain loops or leaves the file.");
            }

            var trailer = ReadSection(parser, (int)at, offsets);
            newestTrailer ??= trailer;
            if (trailer.Get("XRefStm") is not null)
            {
                throw new NotSupportedException("Hybrid-reference PDFs (/XRefStm) are not supported: objects may live in object streams.");
            }

            if (trailer.Get("Encrypt") is not null)
            {
                throw new NotSupportedException("Encrypted PDFs are not supported.");
            }

            next = trailer.Get<PdfNumber>("Prev") is { } prev && prev.TryGetInt64(out var p) ? p : null;
        }

        return new ClassicPdfDocument(data, newestTrailer!, xref, offsets);
    }

    private static PdfDictionary ReadSection(PdfParser parser, int at, Dictionary<int, (long, int)> offsets)
    {
        parser.Seek(at);
        var first = parser.Next();
        if (first.Kind == PdfTokenKind.Integer)
        {
            throw new NotSupportedException(
                "PDFs with cross-reference streams (PDF 1.5+ compressed structure) are not supported; only classic 'xref' tables are.");
        }

        if (!parser.IsKeyword(first, "xref"))
        {
            throw new FormatException($"No 'xref' keyword at offset {at}.");
        }

        while (true)
        {
            var t = parser.Next();
            if (parser.IsKeyword(t, "trailer"))
            {
                return parser.ParseObject() as PdfDictionary ?? throw new FormatException("The trailer is not a dictionary.");
            }

            var countToken = parser.Next();
            if (t.Kind != PdfTokenKind.Integer || countToken.Kind != PdfTokenKind.Integer
                || !int.TryParse(parser.Text(t), out var start) || !int.TryParse(parser.Text(countToken), out var count)
                || start < 0 || count < 0)
            {
                throw new FormatException("Malformed cross-reference subsection header.");
            }

            for (var i = 0; i < count; i++)
            {
                var offset = parser.Next();
                var gen = parser.Next();
                var kind = parser.Next();
                if (offset.Kind != PdfTokenKind.Integer || gen.Kind != PdfTokenKind.Integer || kind.Kind != PdfTokenKind.Keyword)
                {
                    throw new FormatException("Malformed cross-reference entry.");
                }

                // Newer sections are read first, so an entry already present wins.
                if (parser.Text(kind) == "n" && !offsets.ContainsKey(start + i))
                {
                    offsets[start + i] = (long.Parse(parser.Text(offset)), int.Parse(parser.Text(gen)));
                }
                else if (parser.Text(kind) == "f")
                {
                    offsets.TryAdd(start + i, (-1, 0));
                }
            }
        }
    }

    /// <summary>Reads indirect object <paramref name="id"/>, or null when the table does not list it.</summary>
    /// <exception cref="FormatException">The table points at something that is not that object.</exception>
    public PdfObject? Read(PdfObjectId id)
    {
        if (!_offsets.TryGetValue(id.Number, out var entry) || entry.Offset < 0)
        {
            return null;
        }

        if (entry.Offset >= _data.Length)
        {
            throw new FormatException($"Object {id.Number} is listed beyond the end of the file.");
        }

        var parser = new PdfParser(_data, (int)entry.Offset);
        var n = parser.Next();
        var g = parser.Next();
        var obj = parser.Next();
        if (n.Kind != PdfTokenKind.Integer || parser.Text(n) != id.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)
            || g.Kind != PdfTokenKind.Integer || !parser.IsKeyword(obj, "obj"))
        {
            throw new FormatException($"The cross-reference entry of object {id.Number} does not point at it.");
        }

        return parser.ParseObject() ?? throw new FormatException($"Object {id.Number} cannot be parsed.");
    }

    /// <summary>Follows references (a few hops at most) to the object itself.</summary>
    public PdfObject? Resolve(PdfObject? value)
    {
        for (var hops = 0; value is PdfReference r && hops < 8; hops++)
        {
            value = Read(r.Id);
        }

        return value is PdfReference ? null : value;
    }
}
