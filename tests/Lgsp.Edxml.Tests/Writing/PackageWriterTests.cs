using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Writing;

namespace Lgsp.Edxml.Tests.Writing;

public class PackageWriterTests
{
    [Theory]
    [InlineData(BusinessDocType.New, false)]
    [InlineData(BusinessDocType.Revoke, false)]
    [InlineData(BusinessDocType.Update, true)]
    [InlineData(BusinessDocType.Replace, true)]
    public void A_document_with_every_field_reads_back_equal(BusinessDocType type, bool zip)
    {
        using var original = Packages.FullDocument(type, zip);

        using var back = PackageReader.Read(PackageWriter.ToBytes(original));

        Assert.Equal(original, back);
    }

    [Theory]
    [InlineData(StatusCode.Arrived)]
    [InlineData(StatusCode.Rejected)]
    [InlineData(StatusCode.Accepted)]
    [InlineData(StatusCode.Assigned)]
    [InlineData(StatusCode.Processing)]
    [InlineData(StatusCode.Finished)]
    [InlineData(StatusCode.TakeBackRequested)]
    [InlineData(StatusCode.ChangeAccepted)]
    [InlineData(StatusCode.ChangeRejected)]
    public void A_status_with_every_field_reads_back_equal(StatusCode code)
    {
        var original = Packages.Status(code);

        var back = PackageReader.Read(PackageWriter.ToBytes(original));

        Assert.Equal(original, back);
        Assert.Equal(code, ((StatusPackage)back).Code);
    }

    [Fact]
    public void The_written_package_is_utf8_without_bom_in_the_edxml_namespace_with_attachments_outside_the_envelope()
    {
        var bytes = PackageWriter.ToBytes(Packages.FullDocument());
        var text = Encoding.UTF8.GetString(bytes);

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text);
        Assert.Contains("<edXML:edXML xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">", text);
        Assert.True(text.IndexOf("</edXML:edXMLEnvelope>", StringComparison.Ordinal) < text.IndexOf("<edXML:AttachmentEncoded>", StringComparison.Ordinal));
        Assert.Contains("Sở Tài chính tỉnh Thanh Hóa", text);
    }

    [Fact]
    public void Reading_and_writing_a_real_sdk_package_keeps_every_field()
    {
        using var sdk = PackageReader.ReadFile(Repository.Sample("edoc_update.edxml"));

        using var back = PackageReader.Read(PackageWriter.ToBytes(sdk));

        // The written form carries no placeholder signature and no reader findings.
        Assert.Equal(sdk with { SignatureKind = EnvelopeSignatureKind.None, ReadFindings = [] }, back);
    }
}
