using Lgsp.Edxml.Model;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Writing;
using Lgsp.Exchange.Documents;

namespace Lgsp.Exchange.Tests.Documents;

public sealed class DocumentContentTests
{
    private static readonly DateTimeOffset SignedAt = new(2026, 12, 6, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void A_stored_package_reads_back_its_header_and_the_facts_of_its_pdf_signature()
    {
        var pki = TestPki.Create();
        var pdf = PdfSigning.AppendSignature(TestPdf.Create("Báo cáo", "Nội dung"), pki.IssueOrganization("000.00.00.H56", "UBND tỉnh Thanh Hóa"),
            new PdfSignatureRequest { SigningTime = SignedAt });

        var content = DocumentContent.Read(Package(Attachment.FromBytes("bao-cao.pdf", pdf, "application/pdf", "cid:1")));

        Assert.NotNull(content);
        Assert.Equal("Báo cáo tình hình tài chính", content.Subject);
        Assert.Equal("17/UBND-VP", content.Code);
        Assert.Equal(["000.00.02.H56", "000.00.61.H56"], content.To.Select(t => t.OrganId));
        Assert.Equal(2, content.Priority);
        Assert.Equal(BusinessDocType.New, content.BusinessType);
        Assert.Equal("Công văn", content.DocumentType);
        var attachment = Assert.Single(content.Attachments);
        Assert.Equal(pdf.Length, attachment.Size);
        var signature = Assert.Single(attachment.Signatures);
        Assert.True(signature.Intact);
        Assert.Equal(SignerKind.Organization, signature.Kind);
        Assert.Contains("UBND tỉnh Thanh Hóa", signature.Signer, StringComparison.Ordinal);
        Assert.Equal(SignedAt, signature.SigningTime);
    }

    [Fact]
    public void A_pdf_changed_after_signing_is_shown_altered()
    {
        var pki = TestPki.Create();
        var pdf = PdfSigning.AppendSignature(TestPdf.Create("Báo cáo", "Nội dung"), pki.IssuePersonal("Nguyễn Văn An", "001080000001"), new PdfSignatureRequest());
        var offset = Array.IndexOf(pdf, (byte)'N');
        pdf[offset] = (byte)'M';

        var signature = Assert.Single(Assert.Single(DocumentContent.Read(Package(Attachment.FromBytes("a.pdf", pdf, "application/pdf", "cid:1")))!.Attachments).Signatures);

        Assert.False(signature.Intact);
    }

    [Fact]
    public void Bytes_that_are_no_document_package_read_as_nothing() =>
        Assert.Null(DocumentContent.Read("<not-edxml/>"u8.ToArray()));

    private static byte[] Package(Attachment attachment) => PackageWriter.ToBytes(new DocumentPackage
    {
        From = new Organization("000.00.00.H56", "UBND tỉnh Thanh Hóa"),
        To = [new Organization("000.00.02.H56", "Sở Tài chính"), new Organization("000.00.61.H56", "UBND phường Hạc Thành")],
        Code = new DocumentCode("17", "UBND-VP"),
        PromulgationInfo = new PromulgationInfo("Thanh Hóa", EdxmlDate.From(new DateOnly(2026, 12, 6))),
        DocumentType = new DocumentType("2", "1", "Công văn"),
        Subject = "Báo cáo tình hình tài chính",
        Content = "Nội dung",
        SignerInfo = new SignerInfo("KT. CHỦ TỊCH", "Phó Chủ tịch", "Nguyễn Văn An"),
        OtherInfo = new OtherInfo { Priority = 2 },
        DocumentId = "000.00.00.H56,2026/12/06,17/UBND-VP",
        TraceHeaders = [new TraceHeader("000.00.00.H56", EdxmlTimestamp.From(new DateTime(2026, 12, 6, 10, 0, 0)))],
        Business = new Business { BussinessDocType = BusinessDocType.New, BussinessDocTypeText = "0", Paper = 0 },
        ManifestVersion = "1.0",
        References = [new ManifestReference("cid:1", "application/pdf", "Văn bản", attachment.AttachmentName ?? "a.pdf")],
        Attachments = [attachment],
    });
}
