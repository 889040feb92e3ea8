using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Tests.Support;

namespace Lgsp.Edxml.Tests.Reading;

public class PackageReaderTests
{
    [Fact]
    public void The_sdk_new_document_is_read_with_every_header_field()
    {
        using var p = (DocumentPackage)PackageReader.ReadFile(Repository.Sample("edoc_new.edxml"));

        Assert.Equal("002.00.20.H13", p.From!.OrganId);
        Assert.Equal("Số 1 Hoàng Hoa Thám, Quận Ba Đình, Hà Nội", p.From.OrganAdd);
        Assert.Equal("048989898789", p.From.Fax);
        var to = Assert.Single(p.To);
        Assert.Equal("28.22.H17", to.OrganId);
        Assert.Equal("UBND xã Hòa Sơn - UBND huyện Hòa Vang - Thành phố Đà Nẵng", to.OrganizationInCharge);
        Assert.Equal(new DocumentCode("74fass22", "VPCP-TTĐT"), p.Code);
        Assert.Equal(new DateOnly(2019, 1, 16), p.PromulgationInfo!.PromulgationDate!.Value);
        Assert.Equal("Hà Nội", p.PromulgationInfo.Place);
        Assert.Equal(new DocumentType("1", "0", "Công văn"), p.DocumentType);
        Assert.Equal("V/v kết nối, liên thông phần mềm quản lý văn bản", p.Subject);
        Assert.Equal("TL. BO TRUONG", p.SignerInfo!.Competence);
        Assert.Equal(new DateOnly(2018, 9, 28), p.DueDate!.Value);
        Assert.Equal(["Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP"], p.ToPlaces);
        Assert.Equal(0, p.OtherInfo!.Priority);
        Assert.Equal(22, p.OtherInfo.PageAmount);
        Assert.False(p.OtherInfo.Direction);
        Assert.Single(p.OtherInfo.Appendixes);
        Assert.Equal(1, p.SteeringType);
        Assert.Equal("000.00.00.G22,2015/09/30,7816/VPCP-TTĐT", p.DocumentId);
        Assert.Equal("000.00.00.G22", Assert.Single(p.TraceHeaders).OrganId);
        Assert.Equal(new DateTime(2018, 9, 28), p.TraceHeaders[0].Timestamp!.Value);
        Assert.Equal(BusinessDocType.New, p.Business!.BussinessDocType);
        Assert.Equal("Nguyễn Thị Ngọc Trâm", p.Business.StaffInfo!.Staff);
        Assert.Equal(EnvelopeSignatureKind.Placeholder, p.SignatureKind);
    }

    [Fact]
    public void The_sdk_junk_bytes_before_the_declaration_are_skipped_and_reported_as_a_warning()
    {
        using var p = PackageReader.ReadFile(Repository.Sample("edoc_new.edxml"));

        var junk = Assert.Single(p.ReadFindings, f => f.Code == ErrorCode.LeadingJunk);
        Assert.Equal(Severity.Warning, junk.Severity);
        Assert.Contains("4", junk.Message);
    }

    [Fact]
    public void A_zipped_sdk_attachment_exposes_its_decoded_bytes_original_name_and_inner_file()
    {
        using var p = (DocumentPackage)PackageReader.ReadFile(Repository.Sample("edoc_new.edxml"));

        var a = Assert.Single(p.Attachments);
        Assert.Equal("1896_QD-TTg_m_294779.doc", a.AttachmentName);
        Assert.Equal("application/zip", a.ContentType);
        Assert.True(a.IsZip);
        Assert.Equal(270823, a.Content.Length);
        var file = Assert.Single(a.Files());
        Assert.EndsWith(".edxml", file.Name);
        using var s = file.Open();
        using var text = new StreamReader(s);
        Assert.StartsWith("<?xml", text.ReadToEnd());
        var reference = Assert.Single(p.References);
        Assert.True(ContentIds.Same(reference.ContentId, a.ContentId));
    }

    [Theory]
    [InlineData("edoc_update.edxml", BusinessDocType.Update)]
    [InlineData("edoc_replacement.edxml", BusinessDocType.Replace)]
    [InlineData("edoc_revocation.edxml", BusinessDocType.Revoke)]
    public void Each_business_type_of_the_sdk_is_read(string file, BusinessDocType type)
    {
        using var p = (DocumentPackage)PackageReader.ReadFile(Repository.Sample(file));

        Assert.Equal(type, p.Operation);
        if (type == BusinessDocType.Update)
        {
            var info = p.Business!.BussinessDocumentInfo!;
            Assert.Equal("1", info.DocumentInfo);
            Assert.Equal([new Receiver("000.00.00.H41", 0), new Receiver("000.00.00.H14", 1)], info.ReceiverList);
        }

        if (type == BusinessDocType.Replace)
        {
            Assert.Equal(2, p.Business!.ReplacementInfoList.Count);
            Assert.Equal(["000.00.00.H41", "000.00.00.H14"], p.Business.ReplacementInfoList[0].OrganIdList);
        }
    }

    [Theory]
    [InlineData("status_inbox_01.edxml", StatusCode.Arrived)]
    [InlineData("status_rejection_02.edxml", StatusCode.Rejected)]
    [InlineData("status_acceptance_03.edxml", StatusCode.Accepted)]
    [InlineData("status_assignment_04.edxml", StatusCode.Assigned)]
    [InlineData("status_processing_05.edxml", StatusCode.Processing)]
    [InlineData("status_finish_06.edxml", StatusCode.Finished)]
    [InlineData("status_cancellation_13.edxml", StatusCode.TakeBackRequested)]
    [InlineData("status_change-acceptance_15.edxml", StatusCode.ChangeAccepted)]
    [InlineData("status_change-rejection_16.edxml", StatusCode.ChangeRejected)]
    public void Every_sdk_status_is_read_with_its_code_and_the_document_it_answers(string file, StatusCode code)
    {
        using var p = (StatusPackage)PackageReader.ReadFile(Repository.Sample(file));

        Assert.Equal(code, p.Code);
        Assert.False(string.IsNullOrEmpty(p.ResponseFor!.DocumentId));
        Assert.NotNull(p.From!.OrganId);
        Assert.NotNull(p.Timestamp!.Value);
        Assert.DoesNotContain(p.ReadFindings, f => f.IsError);
    }

    [Fact]
    public void A_status_code_combining_number_and_notation_splits_at_the_slash()
    {
        using var p = (StatusPackage)PackageReader.ReadFile(Repository.Sample("status_inbox_01.edxml"));

        Assert.Equal("7816/VPCP-TTĐT", p.ResponseFor!.Code);
        Assert.Equal(new DocumentCode("7816", "VPCP-TTĐT"), DocumentCode.Split(p.ResponseFor.Code));
    }

    [Fact]
    public void Unqualified_children_in_any_order_with_dash_dates_and_a_digital_signature_element_are_read()
    {
        const string xml = """
            <edXML xmlns:e="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns="">
              <e:edXMLEnvelope><e:edXMLHeader>
                <MessageHeader>
                  <DocumentId>b2f8a7a4-1c6e-4f7e-9a1e-3c0a6b9a2d11</DocumentId>
                  <Subject>Thử nghiệm</Subject>
                  <To><OrganId>000.00.00.H56</OrganId></To>
                  <PromulgationInfo><PromulgationDate>2026-11-20</PromulgationDate><Place>Thanh Hóa</Place></PromulgationInfo>
                  <From><OrganId>000.00.01.H56</OrganId></From>
                </MessageHeader>
                <DigitalSignature/>
              </e:edXMLHeader>
              <e:edXMLBody><e:edXMLManifest version="1.0"><Reference><ContentId>7</ContentId><AttachmentName>a.pdf</AttachmentName></Reference></e:edXMLManifest></e:edXMLBody>
              </e:edXMLEnvelope>
              <AttachmentEncoded><Attachment><ContentId>cid:7</ContentId><AttachmentName>a.pdf</AttachmentName><ContentTransferEncoded>JVBERi0xLjQ=</ContentTransferEncoded></Attachment></AttachmentEncoded>
            </edXML>
            """;

        using var p = (DocumentPackage)PackageReader.Read(Encoding.UTF8.GetBytes(xml));

        Assert.Equal("b2f8a7a4-1c6e-4f7e-9a1e-3c0a6b9a2d11", p.DocumentId);
        Assert.Equal("000.00.01.H56", p.From!.OrganId);
        Assert.Equal(new DateOnly(2026, 11, 20), p.PromulgationInfo!.PromulgationDate!.Value);
        Assert.False(p.PromulgationInfo.PromulgationDate.IsStandardFormat);
        Assert.Equal(EnvelopeSignatureKind.Placeholder, p.SignatureKind);
        var a = Assert.Single(p.Attachments);
        Assert.False(a.IsZip);
        Assert.Equal("%PDF-1.4", Encoding.ASCII.GetString(a.Content.Head(16)));
        Assert.Contains(p.ReadFindings, f => f.Code == ErrorCode.Tolerated && f.Message.Contains("no namespace"));
        Assert.Contains(p.ReadFindings, f => f.Code == ErrorCode.Tolerated && f.Message.Contains("cid:"));
    }

    [Fact]
    public void A_large_attachment_is_spooled_to_a_temporary_file_and_read_back_as_a_stream()
    {
        var bytes = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        var original = Packages.FullDocument() with
        {
            Attachments = [Attachment.FromBytes("big.bin", bytes, "application/octet-stream", "cid:1")],
        };
        var written = Lgsp.Edxml.Writing.PackageWriter.ToBytes(original);

        using var p = (DocumentPackage)PackageReader.Read(written);

        var content = Assert.Single(p.Attachments).Content;
        Assert.True(content.IsSpooledToFile);
        Assert.Equal(bytes.Length, content.Length);
        using var s = content.OpenRead();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), content.Sha256Hex);
    }

    [Fact]
    public void Invalid_base64_in_an_attachment_is_refused_with_its_path()
    {
        var xml = """
            <edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader><From><OrganId>000.00.01.H56</OrganId></From></MessageHeader></edXMLHeader></edXMLEnvelope>
            <AttachmentEncoded><Attachment><ContentId>1</ContentId><ContentTransferEncoded>!!!notbase64***</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>
            """;

        var ex = Assert.Throws<EdxmlFormatException>(() => PackageReader.Read(Encoding.UTF8.GetBytes(xml)));

        Assert.Equal(ErrorCode.InvalidBase64, ex.Error.Code);
        Assert.Equal("AttachmentEncoded/Attachment[1]/ContentTransferEncoded", ex.Error.Field);
    }

    [Fact]
    public void A_root_that_is_not_edxml_is_refused()
    {
        var ex = Assert.Throws<EdxmlFormatException>(() => PackageReader.Read(Encoding.UTF8.GetBytes("<html><body/></html>")));

        Assert.Equal(ErrorCode.NotEdxml, ex.Error.Code);
    }
}
