using System.Globalization;
using System.Text;
using Lgsp.Edxml.Pdf.Syntax;

namespace Lgsp.Edxml.Testing.Pdf.Syntax;

/// <summary>Writes PDF objects as bytes. Parsed numbers and strings are written exactly as they were read.</summary>
/// <remarks>Not thread safe; one per document being written.</remarks>
internal sealed class PdfObjectWriter
{
    private readonly MemoryStream _out;

    public PdfObjectWriter(MemoryStream output) => _out = output;

    public long Position => _out.Position;

    public void Raw(string ascii) => _out.Write(Encoding.Latin1.GetBytes(ascii));

    public void Raw(ReadOnlySpan<byte> bytes) => _out.Write(bytes);

    public void Write(PdfObject value)
    {
        switch (value)
        {
            case PdfName n:
                WriteName(n.Value);
                break;
            case PdfNumber n:
                Raw(n.Text);
                break;
            case PdfBoolean b:
                Raw(b.Value ? "true" : "false");
                break;
            case PdfNull:
                Raw("null");
                break;
            case PdfReference r:
                Raw(string.Create(CultureInfo.InvariantCulture, $"{r.Number} {r.Generation} R"));
                break;
            case PdfString s:
                Raw(s.Raw.Span);
                break;
            case PdfArray a:
                Raw("[");
                for (var i = 0; i < a.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        Raw(" ");
                    }

                    Write(a.Items[i]);
                }

                Raw("]");
                break;
            case PdfDictionary d:
                Raw("<<");
                foreach (var (key, v) in d.Entries)
                {
                    WriteName(key);
                    Raw(" ");
                    Write(v);
                }

                Raw(">>");
                break;
            case PdfKeyword k:
                Raw(k.Value);
                break;
            default:
                throw new ArgumentException("Unknown PDF object " + value.GetType().Name, nameof(value));
        }
    }

    /// <summary>Writes <c>n g obj value endobj</c> and returns the offset the cross-reference table needs.</summary>
    public long WriteIndirect(PdfObjectId id, PdfObject value)
    {
        var offset = _out.Position;
        Raw(string.Create(CultureInfo.InvariantCulture, $"{id.Number} {id.Generation} obj\n"));
        Write(value);
        Raw("\nendobj\n");
        return offset;
    }

    private void WriteName(string name)
    {
        var sb = new StringBuilder("/");
        foreach (var b in Encoding.Latin1.GetBytes(name))
        {
            if (b is > 32 and < 127 && b != '#' && PdfLexer.IsRegular(b))
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('#').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        Raw(sb.ToString());
    }
}
