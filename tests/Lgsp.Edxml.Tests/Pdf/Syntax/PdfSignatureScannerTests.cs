using System.Text;
using Lgsp.Edxml.Pdf.Syntax;

namespace Lgsp.Edxml.Tests.Pdf.Syntax;

public class PdfSignatureScannerTests
{
    private const string Sig = "<</Type /Sig /ByteRange [0 1 2 3] /Contents <00>>>";
    private const string Inner = "<</ByteRange [0 1 2 3] /Contents <00>>>";

    /// <summary>A signature field whose partial name (UTF-16) sits under a parent field.</summary>
    internal static readonly byte[] FieldUnderAParent = HandWrittenPdf.Build("1.7", string.Empty,
        "<</Type /Catalog /AcroForm <</Fields [2 0 R]>>>>",
        "<</T (VanBan) /Kids [3 0 R]>>",
        "<</T <FEFF0043006800FD> /Parent 2 0 R /FT /Sig /V 4 0 R /Subtype /Widget>>",
        Sig);

    /// <summary>A field holding its signature dictionary directly, not by reference.</summary>
    internal static readonly byte[] SignatureHeldByItsField =
        HandWrittenPdf.Build("1.7", string.Empty, "<</Type /Catalog>>", "<</T (Direct) /FT /Sig /V " + Sig + ">>");

    /// <summary>A signature dictionary no field points at.</summary>
    internal static readonly byte[] SignatureWithoutField = HandWrittenPdf.Build("1.7", string.Empty, "<</Type /Catalog>>", Sig);

    /// <summary>Object 2 defined twice, without cross-reference tables.</summary>
    internal static readonly byte[] SignatureRedefined = Encoding.ASCII.GetBytes(
        "%PDF-1.7\n2 0 obj\n<</ByteRange [0 10 20 30] /Contents <00>>>\nendobj\n"
        + "2 0 obj\n<</ByteRange [0 11 21 31] /Contents <00>>>\nendobj\n%%EOF\n");

    /// <summary>Signature-like dictionaries as stream data, with a direct and an indirect /Length.</summary>
    internal static readonly byte[] SignatureLookalikesInStreams = HandWrittenPdf.Build("1.7", string.Empty,
        "<</Type /Catalog>>",
        $"<</Length {Inner.Length}>>\nstream\n{Inner}\nendstream",
        $"<</Length 2 0 R>>\nstream\n{Inner}\nendstream");

    /// <summary>Two signatures with comments and every kind of whitespace between tokens, no cross-reference tables.</summary>
    internal static readonly byte[] SignaturesAmidCommentsAndWhitespace = Encoding.ASCII.GetBytes(
        "%PDF-1.7\n7 0 obj%c\r\n<<%c\r/ByteRange\n[\n0\t1\r\n2 3\n]/Contents<0 0\n>>>\nendobj\n"
        + "3 0 obj <</ByteRange[0 4 5 6]/Contents<00>>>endobj\n%%EOF");

    /// <summary>A signature dictionary with a stray keyword in it.</summary>
    internal static readonly byte[] DamagedSignature =
        Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<</ByteRange [0 1 2 3] /Contents <00> oops>>\nendobj\n%%EOF\n");

    [Fact]
    public void A_field_name_is_qualified_by_its_parents_partial_names()
    {
        var hit = Assert.Single(PdfSignatureScanner.Scan(FieldUnderAParent, 8).Signatures);

        Assert.Equal("VanBan.Chý", hit.FieldName);
        Assert.Equal(new PdfObjectId(4, 0), hit.Id);
    }

    [Fact]
    public void A_signature_dictionary_held_directly_in_its_field_is_found_and_named()
    {
        var hit = Assert.Single(PdfSignatureScanner.Scan(SignatureHeldByItsField, 8).Signatures);

        Assert.Equal("Direct", hit.FieldName);
        Assert.Null(hit.Id);
    }

    [Fact]
    public void A_signature_dictionary_no_field_points_at_has_no_name()
    {
        Assert.Null(Assert.Single(PdfSignatureScanner.Scan(SignatureWithoutField, 8).Signatures).FieldName);
    }

    [Fact]
    public void When_a_later_revision_redefines_an_object_only_the_last_definition_counts()
    {
        var hit = Assert.Single(PdfSignatureScanner.Scan(SignatureRedefined, 8).Signatures);

        Assert.Equal("11", ((PdfNumber)((PdfArray)hit.Dictionary.Get("ByteRange")!).Items[1]).Text);
    }

    [Fact]
    public void Dictionaries_inside_stream_data_are_neither_signatures_nor_damage()
    {
        var scan = PdfSignatureScanner.Scan(SignatureLookalikesInStreams, 8);

        Assert.Empty(scan.Signatures);
        Assert.Empty(scan.UnreadableSignatureOffsets);
    }

    [Fact]
    public void Signatures_are_listed_in_file_order_with_whitespace_and_comments_anywhere()
    {
        var scan = PdfSignatureScanner.Scan(SignaturesAmidCommentsAndWhitespace, 8);

        Assert.Equal([new PdfObjectId(7, 0), new PdfObjectId(3, 0)], scan.Signatures.Select(s => s.Id!.Value));
    }

    [Fact]
    public void A_damaged_signature_dictionary_is_reported_by_offset()
    {
        var scan = PdfSignatureScanner.Scan(DamagedSignature, 8);

        Assert.Empty(scan.Signatures);
        Assert.Equal([DamagedSignature.AsSpan().IndexOf("/ByteRange"u8)], scan.UnreadableSignatureOffsets);
    }
}
