using System.Globalization;
using System.Text;

namespace Lgsp.Edxml.Tests.Pdf;

/// <summary>Writes small PDFs object by object with a correct classic cross-reference table, for
/// structures <see cref="Lgsp.Edxml.Testing.Pdf.TestPdf"/> does not produce.</summary>
internal static class HandWrittenPdf
{
    /// <summary>Objects are numbered from 1 in the order given; object 1 is the catalog.</summary>
    public static byte[] Build(string version, string trailerExtra, params string[] objects)
    {
        var sb = new StringBuilder($"%PDF-{version}\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(sb.ToString()));
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(sb.ToString());
        sb.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f\r\n");
        foreach (var offset in offsets)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n\r\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<</Size {objects.Length + 1} /Root 1 0 R{trailerExtra}>>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    /// <summary>A one-page PDF 1.5 with <paramref name="trailerExtra"/> in its trailer (a hybrid
    /// reference or an encryption dictionary, say).</summary>
    public static byte[] OnePage(string trailerExtra) => Build("1.5", trailerExtra,
        "<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>", "<</Type /Page /Parent 2 0 R>>");

    /// <summary>A page-less PDF 1.5 whose cross-reference data is a (empty) cross-reference stream.</summary>
    public static byte[] WithCrossReferenceStream()
    {
        var head = "%PDF-1.5\n1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type /Pages /Kids [] /Count 0>>\nendobj\n";
        var xrefStream = "3 0 obj\n<</Type /XRef /Size 4 /Root 1 0 R /W [1 1 1] /Length 0>>\nstream\n\nendstream\nendobj\n";
        return Encoding.ASCII.GetBytes(head + xrefStream + $"startxref\n{head.Length}\n%%EOF\n");
    }

    /// <summary>A catalog with a direct AcroForm, a two-level page tree, and a page whose
    /// /Annots is an indirect (empty) array: the paths TestPdf does not exercise.</summary>
    public static byte[] WithDirectAcroFormAndIndirectAnnots() => Build(
        "1.4",
        string.Empty,
        "<</Type /Catalog /Pages 2 0 R /AcroForm <</Fields [] /DA (/Helv 0 Tf 0 g)>>>>",
        "<</Type /Pages /Kids [3 0 R] /Count 1>>",
        "<</Type /Pages /Parent 2 0 R /Kids [4 0 R] /Count 1>>",
        "<</Type /Page /Parent 3 0 R /MediaBox [0 0 200 200] /Annots 5 0 R /Contents 6 0 R>>",
        "[]",
        "<</Length 0>>\nstream\n\nendstream");
}
