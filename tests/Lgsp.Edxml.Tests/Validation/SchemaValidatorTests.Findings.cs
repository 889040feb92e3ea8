using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Validation;

namespace Lgsp.Edxml.Tests.Validation;

// How violations are reported: several in document order, text or elements where none belong, and the
// listing limit.
public partial class SchemaValidatorTests
{
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
}
