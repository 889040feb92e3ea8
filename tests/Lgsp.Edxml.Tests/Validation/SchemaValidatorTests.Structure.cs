using System.Text;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;

namespace Lgsp.Edxml.Tests.Validation;

// The elements' order, namespaces and placement: what the schema allows and what it reports, and where.
public partial class SchemaValidatorTests
{
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
}
