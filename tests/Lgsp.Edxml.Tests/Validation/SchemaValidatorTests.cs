using System.Text;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Validation;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Tests.Validation;

public class SchemaValidatorTests
{
    private static readonly XNamespace E = EdxmlSchemas.TargetNamespace;
    private static readonly XNamespace Dsig = "http://www.w3.org/2000/09/xmldsig#";

    public static TheoryData<string> Samples() =>
    [
        "edoc_new.edxml", "edoc_update.edxml", "edoc_replacement.edxml", "edoc_revocation.edxml",
        "status_inbox_01.edxml", "status_rejection_02.edxml", "status_acceptance_03.edxml",
        "status_assignment_04.edxml", "status_processing_05.edxml", "status_finish_06.edxml",
        "status_cancellation_13.edxml", "status_change-acceptance_15.edxml", "status_change-rejection_16.edxml",
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sdk_sample_is_schema_valid_for_its_kind(string name)
    {
        var errors = Validate(SampleXml(name), KindOf(name));

        Assert.Empty(errors);
    }

    [Fact]
    public void The_sdk_samples_cover_all_thirteen_files()
    {
        var onDisk = Directory.GetFiles(Path.GetDirectoryName(Repository.Sample("edoc_new.edxml"))!, "*.edxml").Select(Path.GetFileName);

        Assert.Equal(onDisk.Order(StringComparer.Ordinal), ((IEnumerable<object[]>)Samples()).Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_edoc_new_sample_is_malformed_until_its_junk_bytes_are_skipped()
    {
        var raw = File.ReadAllBytes(Repository.Sample("edoc_new.edxml"));
        Assert.Equal(4, PackageStart.XmlOffset(raw));

        var errors = Validate(raw, PackageKind.Document);

        Assert.Equal(ErrorCode.MalformedXml, Assert.Single(errors).Code);
    }

    [Fact]
    public void A_reordered_document_is_valid()
    {
        var doc = SampleDocument("edoc_update.edxml");
        ReverseChildren(doc.Root!);
        ReverseChildren(doc.Descendants(E + "edXMLEnvelope").Single());
        ReverseChildren(doc.Descendants(E + "edXMLHeader").Single());
        ReverseChildren(doc.Descendants(E + "MessageHeader").Single());
        ReverseChildren(doc.Descendants(E + "Bussiness").Single());
        ReverseChildren(doc.Descendants(E + "Attachment").First());
        Assert.Equal("AttachmentEncoded", doc.Root!.Elements().First().Name.LocalName);

        Assert.Empty(Validate(Bytes(doc), PackageKind.Document));
    }

    [Fact]
    public void A_reordered_status_is_valid()
    {
        var doc = SampleDocument("status_rejection_02.edxml");
        var header = doc.Descendants(E + "MessageHeader").Single();
        ReverseChildren(header);
        Assert.Equal("Timestamp", header.Elements().First().Name.LocalName);

        Assert.Empty(Validate(Bytes(doc), PackageKind.Status));
    }

    [Fact]
    public void Unqualified_children_of_an_edxml_root_are_valid()
    {
        const string xml = """
            <edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
              <edXMLEnvelope>
                <edXMLHeader>
                  <MessageHeader>
                    <From><OrganId>000.00.00.H41</OrganId><OrganName>UBND Tỉnh Nghệ An</OrganName></From>
                    <ResponseFor>
                      <OrganId>000.00.00.G22</OrganId>
                      <edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId>
                    </ResponseFor>
                    <StatusCode>03</StatusCode>
                    <Timestamp>2015/09/20 11:08:36</Timestamp>
                  </MessageHeader>
                </edXMLHeader>
              </edXMLEnvelope>
            </edXML:edXML>
            """;

        Assert.Empty(Validate(Encoding.UTF8.GetBytes(xml), PackageKind.Status));
    }

    [Fact]
    public void An_unqualified_unknown_child_is_still_a_violation()
    {
        const string xml = """
            <edXML xmlns:e="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
              <edXMLEnvelope><edXMLHeader><MessageHeader>
                <StatusCode xmlns="">03</StatusCode>
                <Colour xmlns="">blue</Colour>
              </MessageHeader></edXMLHeader></edXMLEnvelope>
            </edXML>
            """;

        var error = Assert.Single(Validate(Encoding.UTF8.GetBytes(xml), PackageKind.Status));

        Assert.Equal("MessageHeader/Colour", error.Field);
    }

    [Fact]
    public void An_unknown_element_in_the_edxml_namespace_is_a_violation_naming_its_path()
    {
        var doc = SampleDocument("edoc_revocation.edxml");
        doc.Descendants(E + "From").Single().Add(new XElement(E + "Colour", "blue"));

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Document));

        Assert.Equal(ErrorCode.SchemaViolation, error.Code);
        Assert.Equal("MessageHeader/From/Colour", error.Field);
        Assert.Contains("'Colour'", error.Message, StringComparison.Ordinal);
        Assert.Contains("OrganId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_edxml_element_in_the_header_is_not_taken_for_a_foreign_signature()
    {
        var doc = SampleDocument("status_finish_06.edxml");
        doc.Descendants(E + "edXMLHeader").Single().Add(new XElement(E + "Seal"));

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Status));

        Assert.Equal("edXMLEnvelope/edXMLHeader/Seal", error.Field);
    }

    [Fact]
    public void A_foreign_element_outside_the_header_is_a_violation()
    {
        var doc = SampleDocument("status_finish_06.edxml");
        doc.Descendants(E + "MessageHeader").Single().Add(new XElement(Dsig + "Signature"));

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Status));

        // Signature is a path anchor (FieldPath), so the path starts there; the message names the parent.
        Assert.Equal("Signature", error.Field);
        Assert.Contains("'MessageHeader'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Dsig.NamespaceName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_xmldsig_signature_and_edxml_signature_placeholders_in_the_header_are_valid()
    {
        var doc = SampleDocument("status_inbox_01.edxml");
        var header = doc.Descendants(E + "edXMLHeader").Single();
        header.Add(
            new XElement(Dsig + "Signature", new XElement(Dsig + "SignedInfo", new XElement(Dsig + "Reference", new XAttribute("URI", "")))),
            new XElement(E + "DigitalSignature"),
            new XElement(E + "Signature", new XAttribute("Id", "sig"), "text", new XElement(E + "Anything", new XElement("Nested"))));

        Assert.Empty(Validate(Bytes(doc), PackageKind.Status));
    }

    [Fact]
    public void A_non_integer_priority_is_a_violation_on_the_priority_field()
    {
        var doc = SampleDocument("edoc_revocation.edxml");
        doc.Descendants(E + "Priority").Single().Value = "urgent";

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Document));

        Assert.Equal(ErrorCode.SchemaViolation, error.Code);
        Assert.Equal("MessageHeader/OtherInfo/Priority", error.Field);
        Assert.Contains("'urgent'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'xs:integer'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Type", "x1", "MessageHeader/DocumentType/Type")]
    [InlineData("SteeringType", "one", "MessageHeader/SteeringType")]
    [InlineData("PromulgationAmount", "2.5", "MessageHeader/OtherInfo/PromulgationAmount")]
    [InlineData("PageAmount", "", "MessageHeader/OtherInfo/PageAmount")]
    [InlineData("Direction", "maybe", "MessageHeader/OtherInfo/Direction")]
    [InlineData("BussinessDocType", "update", "TraceHeaderList/Bussiness/BussinessDocType")]
    [InlineData("Paper", "no", "TraceHeaderList/Bussiness/Paper")]
    [InlineData("ReceiverType", "A", "TraceHeaderList/Bussiness/BussinessDocumentInfo/ReceiverList/Receiver[1]/ReceiverType")]
    public void Typed_fields_refuse_values_of_the_wrong_type(string element, string value, string field)
    {
        var doc = SampleDocument("edoc_update.edxml");
        doc.Descendants(E + element).First().Value = value;

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Document));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Integer_fields_tolerate_surrounding_whitespace_and_direction_takes_one_and_zero()
    {
        var doc = SampleDocument("edoc_update.edxml");
        doc.Descendants(E + "Priority").Single().Value = " 3 ";
        doc.Descendants(E + "Direction").Single().Value = "1";

        Assert.Empty(Validate(Bytes(doc), PackageKind.Document));
    }

    [Fact]
    public void A_bussiness_in_the_message_header_is_a_violation()
    {
        var doc = SampleDocument("edoc_replacement.edxml");
        var business = doc.Descendants(E + "Bussiness").Single();
        business.Remove();
        doc.Descendants(E + "MessageHeader").Single().Add(business);

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Document));

        Assert.Equal("MessageHeader/Bussiness", error.Field);
        Assert.Contains("'Bussiness'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_validated_as_a_document_reports_each_status_only_element()
    {
        var errors = Validate(SampleXml("status_cancellation_13.edxml"), PackageKind.Document);

        Assert.All(errors, e => Assert.Equal(ErrorCode.SchemaViolation, e.Code));
        Assert.Equal(
            ["MessageHeader/StaffInfo", "MessageHeader/StatusCode", "MessageHeader/Description", "MessageHeader/Timestamp"],
            errors.Select(e => e.Field));
    }

    [Fact]
    public void A_document_validated_as_a_status_reports_what_a_status_cannot_carry()
    {
        var errors = Validate(SampleXml("edoc_replacement.edxml"), PackageKind.Status);
        var fields = errors.Select(e => e.Field).ToList();

        Assert.Contains("MessageHeader/To[1]", fields);
        Assert.Contains("MessageHeader/To[3]", fields);
        Assert.Contains("MessageHeader/Subject", fields);
        Assert.Contains("TraceHeaderList", fields);
        Assert.Contains("edXMLEnvelope/edXMLBody", fields);
        Assert.Contains("AttachmentEncoded", fields);
        Assert.DoesNotContain("MessageHeader/From", fields);
        Assert.DoesNotContain("MessageHeader/ResponseFor[1]", fields);
    }

    [Fact]
    public void Several_violations_in_different_places_are_all_reported_in_document_order()
    {
        var doc = SampleDocument("edoc_update.edxml");
        doc.Descendants(E + "To").ElementAt(1).Add(new XElement(E + "Colour"));
        doc.Descendants(E + "To").ElementAt(1).Add(new XElement(E + "Size"));
        doc.Descendants(E + "Priority").Single().Value = "high";
        doc.Descendants(E + "TraceHeader").Single().Add(new XElement(E + "Signer"));
        doc.Descendants(E + "edXMLManifest").Single().Add(new XAttribute("build", "7"));
        doc.Descendants(E + "Attachment").Single().Add(new XElement(E + "Checksum"));

        var errors = Validate(Bytes(doc), PackageKind.Document);

        Assert.Equal(
            [
                "MessageHeader/To[2]/Colour", "MessageHeader/To[2]/Size", "MessageHeader/OtherInfo/Priority",
                "TraceHeaderList/TraceHeader[1]/Signer", "edXMLManifest", "AttachmentEncoded/Attachment[1]/Checksum",
            ],
            errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal(ErrorCode.SchemaViolation, e.Code));
    }

    [Fact]
    public void Text_where_only_elements_belong_is_a_violation()
    {
        var doc = SampleDocument("status_inbox_01.edxml");
        doc.Descendants(E + "From").Single().AddFirst("stray text");

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Status));

        Assert.Equal("MessageHeader/From", error.Field);
    }

    [Fact]
    public void An_element_inside_an_attachment_content_is_still_a_violation()
    {
        var doc = SampleDocument("edoc_revocation.edxml");
        doc.Descendants(E + "ContentTransferEncoded").Single().Add(new XElement(E + "Part", "x"));

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Document));

        Assert.Equal("AttachmentEncoded/Attachment[1]/ContentTransferEncoded/Part", error.Field);
    }

    [Fact]
    public void Past_the_listing_limit_further_violations_are_counted_in_one_finding()
    {
        var doc = SampleDocument("status_inbox_01.edxml");
        var header = doc.Descendants(E + "MessageHeader").Single();
        for (var i = 0; i < SchemaValidator.MaxListedViolations + 50; i++)
        {
            header.Add(new XElement(E + "Noise"));
        }

        var errors = Validate(Bytes(doc), PackageKind.Status);

        Assert.Equal(SchemaValidator.MaxListedViolations + 1, errors.Count);
        Assert.Equal("/", errors[^1].Field);
        Assert.Contains("50 further violation(s)", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_xml_yields_the_single_format_error()
    {
        var errors = Validate("<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXMLEnvelope></edXML>"u8.ToArray(), PackageKind.Document);

        Assert.Equal(ErrorCode.MalformedXml, Assert.Single(errors).Code);
    }

    [Fact]
    public void A_dtd_yields_the_single_dtd_error()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE edXML [<!ENTITY x "xx">]>
            <edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&x;</edXML>
            """;

        Assert.Equal(ErrorCode.DtdProhibited, Assert.Single(Validate(Encoding.UTF8.GetBytes(xml), PackageKind.Document)).Code);
    }

    [Fact]
    public void A_package_beyond_a_limit_yields_the_single_limit_error_even_after_violations()
    {
        var doc = SampleDocument("status_inbox_01.edxml");
        doc.Descendants(E + "MessageHeader").Single().AddFirst(new XElement(E + "Noise"));

        var errors = Validate(Bytes(doc), PackageKind.Status, XmlLimits.Default with { MaxElements = 20 });

        Assert.Equal(ErrorCode.TooManyElements, Assert.Single(errors).Code);
    }

    [Theory]
    [InlineData("<edXML><edXMLEnvelope/></edXML>", "'edXML' in no namespace")]
    [InlineData("<Envelope xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"/>", "'Envelope' in namespace 'http://schemas.xmlsoap.org/soap/envelope/'")]
    public void A_root_other_than_edxml_in_its_namespace_is_not_an_edxml_package(string xml, string described)
    {
        var error = Assert.Single(Validate(Encoding.UTF8.GetBytes(xml), PackageKind.Document));

        Assert.Equal(ErrorCode.NotEdxml, error.Code);
        Assert.Equal("/", error.Field);
        Assert.Contains(described, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_location_in_the_package_is_ignored()
    {
        var doc = SampleDocument("status_inbox_01.edxml");
        XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
        doc.Root!.Add(new XAttribute(xsi + "schemaLocation", EdxmlSchemas.TargetNamespace + " http://invalid.example/evil.xsd"));
        doc.Descendants(E + "MessageHeader").Single().Add(new XElement(E + "Noise"));

        var error = Assert.Single(Validate(Bytes(doc), PackageKind.Status));

        Assert.Equal("MessageHeader/Noise", error.Field);
    }

    [Fact]
    public void Concurrent_validations_share_the_compiled_schemas_safely()
    {
        var names = ((IEnumerable<object[]>)Samples()).Select(row => (string)row[0]).ToArray();
        var swappedKind = names.ToDictionary(n => n, n => KindOf(n) == PackageKind.Document ? PackageKind.Status : PackageKind.Document);
        var expected = names.ToDictionary(n => n, n => Validate(SampleXml(n), swappedKind[n]).Select(e => e.Field).ToList());

        var results = new (int Own, List<string> Swapped)[names.Length * 4];
        Parallel.For(0, results.Length, i =>
        {
            var name = names[i % names.Length];
            results[i] = (Validate(SampleXml(name), KindOf(name)).Count, Validate(SampleXml(name), swappedKind[name]).Select(e => e.Field).ToList());
        });

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(0, results[i].Own);
            Assert.NotEmpty(results[i].Swapped);
            Assert.Equal(expected[names[i % names.Length]], results[i].Swapped);
        }
    }

    [Fact]
    public void A_sixty_megabyte_attachment_is_validated_without_buffering_it()
    {
        const int attachmentSize = 60 * 1024 * 1024;
        var package = PackageWithAttachmentOf(attachmentSize);
        Assert.Empty(Validate(SampleXml("edoc_update.edxml"), PackageKind.Document)); // JIT and schema compilation out of the way

        using var stream = new MemoryStream(package, writable: false);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var errors = SchemaValidator.Validate(stream, PackageKind.Document, XmlLimits.Default);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Empty(errors);
        Assert.Equal(package.Length, stream.Position);
        Assert.True(allocated < attachmentSize / 32, $"The validator allocated {allocated:N0} bytes for a {attachmentSize:N0}-byte attachment.");
    }

    private static IReadOnlyList<EdxmlError> Validate(byte[] xml, PackageKind kind, XmlLimits? limits = null) =>
        SchemaValidator.Validate(new MemoryStream(xml, writable: false), kind, limits ?? XmlLimits.Default);

    private static PackageKind KindOf(string sample) => sample.StartsWith("edoc", StringComparison.Ordinal) ? PackageKind.Document : PackageKind.Status;

    /// <summary>The sample's XML, junk bytes before it skipped.</summary>
    private static byte[] SampleXml(string name)
    {
        var raw = File.ReadAllBytes(Repository.Sample(name));
        return raw[PackageStart.XmlOffset(raw)..];
    }

    private static XDocument SampleDocument(string name)
    {
        using var stream = new MemoryStream(SampleXml(name));
        return XDocument.Load(stream, LoadOptions.PreserveWhitespace);
    }

    private static byte[] Bytes(XDocument doc)
    {
        using var stream = new MemoryStream();
        doc.Save(stream, SaveOptions.DisableFormatting);
        return stream.ToArray();
    }

    private static void ReverseChildren(XElement element)
    {
        var children = element.Elements().Reverse().ToList();
        element.Elements().Remove();
        element.Add(children);
    }

    /// <summary>The update sample with its attachment replaced by <paramref name="size"/> bytes of
    /// base64 text in 76-character lines, built directly as bytes.</summary>
    private static byte[] PackageWithAttachmentOf(int size)
    {
        var text = Encoding.UTF8.GetString(SampleXml("edoc_update.edxml"));
        var open = text.IndexOf("ContentTransferEncoded", StringComparison.Ordinal);
        var start = text.IndexOf('>', open) + 1;
        var end = text.IndexOf("</", start, StringComparison.Ordinal);
        var head = Encoding.UTF8.GetBytes(text[..start]);
        var tail = Encoding.UTF8.GetBytes(text[end..]);

        var package = new byte[head.Length + size + tail.Length];
        head.CopyTo(package, 0);
        var line = "UEsDBBQACAgIAAAAAABBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWmFiY2RlZmdoaWprbG1ub3Bx\n"u8;
        var body = package.AsSpan(head.Length, size);
        for (var i = 0; i < size; i += line.Length)
        {
            line[..Math.Min(line.Length, size - i)].CopyTo(body[i..]);
        }

        tail.CopyTo(package, head.Length + size);
        return package;
    }
}
