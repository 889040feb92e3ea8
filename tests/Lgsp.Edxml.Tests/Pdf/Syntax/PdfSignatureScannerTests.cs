using System.Text;
using Lgsp.Edxml.Pdf.Syntax;

namespace Lgsp.Edxml.Tests.Pdf.Syntax;

public class PdfSignatureScannerTests
{
    private const string Sig = "<</Type /Sig /ByteRange [0 1 2 3] /Contents <00>>>";

    [Fact]
    public void A_field_name_is_qualified_by_its_parents_partial_names()
    {
        var pdf = HandWrittenPdf.Build("1.7", string.Empty,
            "<</Type /Catalog /AcroForm <</Fields [2 0 R]>>>>",
            "<</T (VanBan) /Kids [3 0 R]>>",
            "<</T <FEFF0043006800FD> /Parent 2 0 R /FT /Sig /V 4 0 R /Subtype /Widget>>",
            Sig);

        var hit = Assert.Single(PdfSignatureScanner.Scan(pdf, 8).Signatures);

        Assert.Equal("VanBan.Chý", hit.FieldName);
        Assert.Equal(new PdfObjectId(4, 0), hit.Id);
    }

    [Fact]
    public void A_signature_dictionary_held_directly_in_its_field_is_found_and_named()
    {
        var pdf = HandWrittenPdf.Build("1.7", string.Empty, "<</Type /Catalog>>", "<</T (Direct) /FT /Sig /V " + Sig + ">>");

        var hit = Assert.Single(PdfSignatureScanner.Scan(pdf, 8).Signatures);

        Assert.Equal("Direct", hit.FieldName);
        Assert.Null(hit.Id);
    }

    [Fact]
    public void A_signature_dictionary_no_field_points_at_has_no_name()
    {
        var pdf = HandWrittenPdf.Build("1.7", string.Empty, "<</Type /Catalog>>", Sig);

        Assert.Null(Assert.Single(PdfSignatureScanner.Scan(pdf, 8).Signatures).FieldName);
    }

    [Fact]
    public void When_a_later_revision_redefines_an_object_only_the_last_definition_counts()
    {
        var text = "%PDF-1.7\n2 0 obj\n<</ByteRange [0 10 20 30] /Contents <00>>>\nendobj\n"
            + "2 0 obj\n<</ByteRange [0 11 21 31] /Contents <00>>>\nendobj\n%%EOF\n";

        var hit = Assert.Single(PdfSignatureScanner.Scan(Encoding.ASCII.GetBytes(text), 8).Signatures);

        Assert.Equal("11", ((PdfNumber)((PdfArray)hit.Dictionary.Get("ByteRange")!).Items[1]).Text);
    }

    [Fact]
    public void Dictionaries_inside_stream_data_are_neither_signatures_nor_damage()
    {
        var inner = "<</ByteRange [0 1 2 3] /Contents <00>>>";
        var pdf = HandWrittenPdf.Build("1.7", string.Empty,
            "<</Type /Catalog>>",
            $"<</Length {inner.Length}>>\nstream\n{inner}\nendstream",
            $"<</Length 2 0 R>>\nstream\n{inner}\nendstream");

        var scan = PdfSignatureScanner.Scan(pdf, 8);

        Assert.Empty(scan.Signatures);
        Assert.Empty(scan.UnreadableSignatureOffsets);
    }

    [Fact]
    public void Signatures_are_listed_in_file_order_with_whitespace_and_comments_anywhere()
    {
        var text = "%PDF-1.7\n7 0 obj%c\r\n<<%c\r/ByteRange\n[\n0\t1\r\n2 3\n]/Contents<0 0\n>>>\nendobj\n"
            + "3 0 obj <</ByteRange[0 4 5 6]/Contents<00>>>endobj\n%%EOF";

        var scan = PdfSignatureScanner.Scan(Encoding.ASCII.GetBytes(text), 8);

        Assert.Equal([new PdfObjectId(7, 0), new PdfObjectId(3, 0)], scan.Signatures.Select(s => s.Id!.Value));
    }

    [Fact]
    public void A_damaged_signature_dictionary_is_reported_by_offset()
    {
        var text = "%PDF-1.7\n1 0 obj\n<</ByteRange [0 1 2 3] /Contents <00> oops>>\nendobj\n%%EOF\n";

        var scan = PdfSignatureScanner.Scan(Encoding.ASCII.GetBytes(text), 8);

        Assert.Empty(scan.Signatures);
        Assert.Equal([text.IndexOf("/ByteRange", StringComparison.Ordinal)], scan.UnreadableSignatureOffsets);
    }
}
