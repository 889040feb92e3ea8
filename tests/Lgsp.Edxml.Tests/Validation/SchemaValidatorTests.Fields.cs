using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;

namespace Lgsp.Edxml.Tests.Validation;

// Typed fields, and the elements each kind of package may carry.
public partial class SchemaValidatorTests
{
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
}
