using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Pdf.Syntax;
using Lgsp.Edxml.Testing.Pdf.Syntax;

namespace Lgsp.Edxml.Testing.Pdf;

/// <summary>
/// Writes small, valid one-page PDFs for test material and sample packages: a title and some
/// body text in Helvetica on an A4 page, with a classic cross-reference table that
/// <see cref="PdfSigning"/> can extend.
/// </summary>
/// <remarks>Stateless and thread safe. The output is deterministic: the same arguments give the same bytes.</remarks>
public static class TestPdf
{
    private const int PageWidth = 595;
    private const int PageHeight = 842;
    private const int Margin = 56;
    private const int MaxLineCharacters = 90;

    /// <summary>Builds a one-page PDF.</summary>
    /// <param name="title">Shown as the heading and stored as the document title (any Unicode text;
    /// the heading on the page is folded to ASCII, the stored title keeps the original).</param>
    /// <param name="bodyText">The body; <c>\n</c> separates lines, long lines wrap. The page shows
    /// it folded to ASCII (Vietnamese diacritics dropped, <c>đ</c> as <c>d</c>); lines that do not fit
    /// on the page are left out.</param>
    /// <returns>The bytes of the PDF.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static byte[] Create(string title, string bodyText)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(bodyText);

        var content = Encoding.ASCII.GetBytes(PageContent(title, bodyText));
        var output = new MemoryStream();
        var w = new PdfObjectWriter(output);
        // A comment line of bytes above 127 tells transfer tools the file is binary (§7.5.2).
        w.Raw("%PDF-1.7\n");
        w.Raw([(byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);

        var offsets = new long[7];
        offsets[1] = w.WriteIndirect(new(1, 0), Dict(("Type", new PdfName("Catalog")), ("Pages", Ref(2))));
        offsets[2] = w.WriteIndirect(new(2, 0), Dict(
            ("Type", new PdfName("Pages")), ("Kids", new PdfArray([Ref(3)])), ("Count", PdfNumber.Of(1))));
        offsets[3] = w.WriteIndirect(new(3, 0), Dict(
            ("Type", new PdfName("Page")),
            ("Parent", Ref(2)),
            ("MediaBox", new PdfArray([PdfNumber.Of(0), PdfNumber.Of(0), PdfNumber.Of(PageWidth), PdfNumber.Of(PageHeight)])),
            ("Resources", Dict(("Font", Dict(("F1", Ref(5)))))),
            ("Contents", Ref(4))));

        offsets[4] = w.Position;
        w.Raw(string.Create(CultureInfo.InvariantCulture, $"4 0 obj\n<</Length {content.Length}>>\nstream\n"));
        w.Raw(content);
        w.Raw("\nendstream\nendobj\n");

        offsets[5] = w.WriteIndirect(new(5, 0), Dict(
            ("Type", new PdfName("Font")), ("Subtype", new PdfName("Type1")),
            ("BaseFont", new PdfName("Helvetica")), ("Encoding", new PdfName("WinAnsiEncoding"))));
        offsets[6] = w.WriteIndirect(new(6, 0), Dict(
            ("Title", PdfString.FromText(title)), ("Producer", PdfString.FromText("Lgsp.Edxml TestPdf"))));

        var xref = w.Position;
        w.Raw("xref\n0 7\n0000000000 65535 f\r\n");
        for (var i = 1; i < offsets.Length; i++)
        {
            w.Raw(string.Create(CultureInfo.InvariantCulture, $"{offsets[i]:D10} 00000 n\r\n"));
        }

        // The file identifier only has to be stable and distinct per content (§14.4).
        var id = SHA256.HashData(Encoding.UTF8.GetBytes(title + "\n" + bodyText))[..16];
        w.Raw("trailer\n");
        w.Write(Dict(
            ("Size", PdfNumber.Of(offsets.Length)), ("Root", Ref(1)), ("Info", Ref(6)),
            ("ID", new PdfArray([PdfString.FromHexBytes(id), PdfString.FromHexBytes(id)]))));
        w.Raw(string.Create(CultureInfo.InvariantCulture, $"\nstartxref\n{xref}\n%%EOF\n"));
        return output.ToArray();
    }

    private static string PageContent(string title, string bodyText)
    {
        var sb = new StringBuilder();
        var y = PageHeight - Margin - 16;
        sb.Append(CultureInfo.InvariantCulture, $"BT /F1 16 Tf {Margin} {y} Td ({Escape(ToAscii(title))}) Tj ET\n");
        y -= 32;
        sb.Append(CultureInfo.InvariantCulture, $"BT /F1 11 Tf 15 TL {Margin} {y} Td\n");
        foreach (var line in Wrap(ToAscii(bodyText)))
        {
            if (y < Margin)
            {
                break;
            }

            sb.Append(CultureInfo.InvariantCulture, $"({Escape(line)}) Tj T*\n");
            y -= 15;
        }

        sb.Append("ET\n");
        return sb.ToString();
    }

    private static IEnumerable<string> Wrap(string text)
    {
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var rest = paragraph.TrimEnd();
            if (rest.Length == 0)
            {
                yield return string.Empty;
            }

            while (rest.Length > 0)
            {
                if (rest.Length <= MaxLineCharacters)
                {
                    yield return rest;
                    break;
                }

                var cut = rest.LastIndexOf(' ', MaxLineCharacters);
                if (cut <= 0)
                {
                    cut = MaxLineCharacters;
                }

                yield return rest[..cut];
                rest = rest[cut..].TrimStart();
            }
        }
    }

    /// <summary>Folds text to printable ASCII: Vietnamese letters lose their marks, đ becomes d,
    /// anything else outside ASCII becomes <c>?</c>.</summary>
    internal static string ToAscii(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            sb.Append(c switch
            {
                'đ' => 'd',
                'Đ' => 'D',
                '\n' or '\t' => c,
                >= ' ' and <= '~' => c,
                _ => '?',
            });
        }

        return sb.ToString();
    }

    private static string Escape(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal)
            .Replace(")", "\\)", StringComparison.Ordinal).Replace("\t", " ", StringComparison.Ordinal);

    private static PdfReference Ref(int number) => new(number, 0);

    private static PdfDictionary Dict(params (string Key, PdfObject Value)[] entries) =>
        new(entries.Select(e => new KeyValuePair<string, PdfObject>(e.Key, e.Value)).ToList());
}
