using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Pdf.Syntax;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Testing.Pdf.Syntax;
using Lgsp.Edxml.Tests.Pdf;

namespace Lgsp.Edxml.Testing.Tests.Pdf;

public class PdfSigningTests
{
    private static readonly PdfSignatureInspector Inspector = new();

    [Fact]
    public void Signing_appends_an_incremental_update_and_leaves_every_original_byte_in_place()
    {
        var unsigned = PdfSamples.Unsigned;
        var signed = PdfSamples.SealedPdf;

        Assert.Equal(unsigned, signed[..unsigned.Length]);
        var update = Encoding.Latin1.GetString(signed, unsigned.Length, signed.Length - unsigned.Length);
        Assert.Contains("/Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached", update);
        Assert.Contains("/FT /Sig", update);
        Assert.Contains("/SigFlags 3", update);
        Assert.Contains("/Prev " + ClassicPdfDocument.Open(unsigned).LastCrossReferenceOffset, update);
        Assert.EndsWith("%%EOF\n", update);
    }

    [Fact]
    public void The_new_revision_can_be_read_through_its_cross_reference_table()
    {
        var doc = ClassicPdfDocument.Open(PdfSamples.TwiceSignedPdf);

        var catalog = (PdfDictionary)doc.Read(doc.Trailer.Get<PdfReference>("Root")!.Id)!;
        var form = (PdfDictionary)doc.Resolve(catalog.Get("AcroForm"))!;
        var fields = ((PdfArray)form.Get("Fields")!).Items.Select(f => ((PdfDictionary)doc.Resolve(f)!).Get<PdfString>("T")!.DecodeText());
        Assert.Equal(["ChuKyCoQuan", "ChuKyCaNhan"], fields);
        var page = (PdfDictionary)doc.Read(new PdfObjectId(3, 0))!;
        Assert.Equal(2, ((PdfArray)page.Get("Annots")!).Items.Count);
    }

    [Fact]
    public void A_second_signature_keeps_the_first_revision_byte_for_byte()
    {
        Assert.Equal(PdfSamples.SealedPdf, PdfSamples.TwiceSignedPdf[..PdfSamples.SealedPdf.Length]);
    }

    [Fact]
    public void Without_a_field_name_the_first_free_SignatureN_is_used()
    {
        var once = PdfSigning.AppendSignature(PdfSamples.Unsigned, PdfTestCertificates.Organization, new PdfSignatureRequest());
        var twice = PdfSigning.AppendSignature(once, PdfTestCertificates.Personal, new PdfSignatureRequest());

        var result = Inspector.Inspect(twice);

        Assert.Equal(["Signature1", "Signature2"], result.Signatures.Select(s => s.FieldName));
        Assert.All(result.Signatures, s => Assert.True(s.IsIntact));
    }

    [Fact]
    public void A_field_name_already_in_use_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => PdfSigning.AppendSignature(
            PdfSamples.SealedPdf, PdfTestCertificates.Personal, new PdfSignatureRequest { FieldName = "ChuKyCoQuan" }));

        Assert.Contains("ChuKyCoQuan", e.Message);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused()
    {
        var publicOnly = X509CertificateLoader.LoadCertificate(PdfTestCertificates.Organization.RawData);

        Assert.Throws<ArgumentException>(() => PdfSigning.AppendSignature(PdfSamples.Unsigned, publicOnly, new PdfSignatureRequest()));
    }

    [Fact]
    public void A_pdf_with_a_direct_acroform_an_indirect_annots_array_and_a_nested_page_tree_is_signed_twice()
    {
        var pdf = HandWrittenPdf.WithDirectAcroFormAndIndirectAnnots();

        var once = PdfSigning.AppendSignature(pdf, PdfTestCertificates.Organization, new PdfSignatureRequest { FieldName = "Seal" });
        var twice = PdfSigning.AppendSignature(once, PdfTestCertificates.Personal, new PdfSignatureRequest { FieldName = "Official" });

        var result = Inspector.Inspect(twice);
        Assert.Empty(result.AllErrors);
        Assert.Equal(["Seal", "Official"], result.Signatures.Select(s => s.FieldName));
        Assert.All(result.Signatures, s => Assert.True(s.IsIntact));
        var doc = ClassicPdfDocument.Open(twice);
        var catalog = (PdfDictionary)doc.Read(new PdfObjectId(1, 0))!;
        Assert.Equal("(/Helv 0 Tf 0 g)", Encoding.Latin1.GetString(catalog.Get<PdfDictionary>("AcroForm")!.Get<PdfString>("DA")!.Raw.Span));
        Assert.Equal(2, ((PdfArray)doc.Read(new PdfObjectId(5, 0))!).Items.Count);
    }

    [Fact]
    public void Reason_and_location_outside_ascii_are_written_as_unicode_text()
    {
        var dictionary = Assert.Single(PdfSignatureScanner.Scan(PdfSamples.SealedPdf, 8).Signatures).Dictionary;

        Assert.Equal("Ký số văn bản", dictionary.Get<PdfString>("Reason")!.DecodeText());
        Assert.Equal("Thái Bình", dictionary.Get<PdfString>("Location")!.DecodeText());
    }

    [Fact]
    public void A_pdf_with_a_cross_reference_stream_is_refused()
    {
        var e = Assert.Throws<NotSupportedException>(() =>
            PdfSigning.AppendSignature(HandWrittenPdf.WithCrossReferenceStream(), PdfTestCertificates.Organization, new PdfSignatureRequest()));

        Assert.Contains("cross-reference streams", e.Message);
    }

    [Theory]
    [InlineData(" /XRefStm 9", "Hybrid")]
    [InlineData(" /Encrypt 9 0 R", "Encrypted")]
    public void Hybrid_and_encrypted_pdfs_are_refused(string trailerExtra, string expected)
    {
        var e = Assert.Throws<NotSupportedException>(() =>
            PdfSigning.AppendSignature(HandWrittenPdf.OnePage(trailerExtra), PdfTestCertificates.Organization, new PdfSignatureRequest()));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Bytes_without_a_cross_reference_table_are_refused_as_malformed()
    {
        Assert.Throws<FormatException>(() =>
            PdfSigning.AppendSignature(Encoding.ASCII.GetBytes("%PDF-1.7\nnothing here\n"), PdfTestCertificates.Organization, new PdfSignatureRequest()));
    }
}
