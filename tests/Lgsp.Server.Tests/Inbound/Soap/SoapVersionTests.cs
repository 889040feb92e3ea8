using Lgsp.Edxml.Errors;
using Lgsp.Server.Inbound.Soap;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>The version and action come from the HTTP headers; the envelope must agree.</summary>
public class SoapVersionTests
{
    [Theory]
    [InlineData("text/xml", SoapVersion.Soap11)]
    [InlineData("text/xml; charset=utf-8", SoapVersion.Soap11)]
    [InlineData("TEXT/XML;charset=\"UTF-8\"", SoapVersion.Soap11)]
    [InlineData("application/soap+xml", SoapVersion.Soap12)]
    [InlineData("application/soap+xml; charset=utf-8; action=\"urn:lgsp:edoc:1/GetTrace\"", SoapVersion.Soap12)]
    [InlineData("Application/SOAP+XML;action=urn:lgsp:edoc:1/GetTrace;charset=utf-8", SoapVersion.Soap12)]
    public void The_content_type_names_the_version(string contentType, SoapVersion expected)
    {
        Assert.Equal(expected, SoapVersions.Detect(contentType, null, out _));
        Assert.Equal(expected, SoapVersions.ReplyVersion(contentType));
    }

    [Theory]
    [InlineData("\"urn:lgsp:edoc:1/GetTrace\"", "urn:lgsp:edoc:1/GetTrace")]
    [InlineData("urn:lgsp:edoc:1/GetTrace", "urn:lgsp:edoc:1/GetTrace")]
    [InlineData("\"\"", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void SOAP_1_1_takes_the_action_from_the_SOAPAction_header_without_quotes(string? header, string? expected)
    {
        SoapVersions.Detect("text/xml; charset=utf-8", header, out var action);

        Assert.Equal(expected, action);
    }

    [Fact]
    public void SOAP_1_2_takes_the_action_from_the_content_type_and_ignores_a_SOAPAction_header()
    {
        SoapVersions.Detect("application/soap+xml; charset=utf-8; action=\"urn:lgsp:edoc:1/GetTrace\"", "\"urn:lgsp:edoc:1/Other\"", out var action);

        Assert.Equal("urn:lgsp:edoc:1/GetTrace", action);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/xml")]
    [InlineData("application/json")]
    [InlineData("multipart/related; type=\"application/xop+xml\"; start-info=\"text/xml\"")]
    [InlineData("not a media type;;;")]
    public void Any_other_content_type_is_unsupported_media_type(string? contentType)
    {
        var fault = Assert.Throws<SoapFaultException>(() => SoapVersions.Detect(contentType, null, out _));

        Assert.Equal(SoapErrors.UnsupportedMediaType, fault.Error.Code);
        Assert.Equal("Content-Type", fault.Error.Field);
        Assert.True(fault.IsClientFault);
        Assert.Equal(415, SoapResponseWriter.FaultStatusCode(SoapVersions.ReplyVersion(contentType), fault.Error, fault.IsClientFault));
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, SoapVersion.Soap12)]
    [InlineData(SoapVersion.Soap12, SoapVersion.Soap11)]
    public async Task An_envelope_of_the_other_version_than_the_content_type_is_a_version_mismatch(SoapVersion headers, SoapVersion envelope)
    {
        var body = Envelope(envelope, OperationSamples[EdocContract.GetTrace]);

        var fault = await RefuseAsync(headers, body);

        Assert.Equal(SoapErrors.MalformedSoap, fault.Error.Code);
        Assert.Contains("version mismatch", fault.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, "urn:lgsp:edoc:1/GetTrace")]
    [InlineData(SoapVersion.Soap11, "GetTrace")]
    [InlineData(SoapVersion.Soap11, null)]
    [InlineData(SoapVersion.Soap12, "urn:lgsp:edoc:1/GetTrace")]
    [InlineData(SoapVersion.Soap12, null)]
    public async Task The_action_may_be_absent_the_operation_name_or_the_WSDL_action(SoapVersion version, string? action)
    {
        var request = await ReadAsync(version, Envelope(version, OperationSamples[EdocContract.GetTrace]), action);

        Assert.Equal(EdocContract.GetTrace, request.Operation);
        Assert.Equal(version, request.Version);
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, "SOAPAction")]
    [InlineData(SoapVersion.Soap12, "Content-Type")]
    public async Task An_action_naming_another_operation_than_the_body_is_refused(SoapVersion version, string field)
    {
        var fault = await RefuseAsync(version, Envelope(version, OperationSamples[EdocContract.GetTrace]), EdocContract.ActionOf(EdocContract.SendDocument));

        Assert.Equal(SoapErrors.MalformedSoap, fault.Error.Code);
        Assert.Equal(field, fault.Error.Field);
    }

    [Fact]
    public void Every_operation_has_the_action_of_the_contract()
    {
        Assert.All(EdocContract.Operations, op => Assert.Equal($"urn:lgsp:edoc:1/{op}", EdocContract.ActionOf(op)));
        Assert.Equal(9, EdocContract.Operations.Count);
    }

    [Fact]
    public void Soap_codes_have_both_sentences_and_other_codes_fall_back_to_the_format_core()
    {
        foreach (var code in SoapErrors.Codes)
        {
            var error = SoapErrors.Create(code, "/", "a", "b", "c");
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.False(string.IsNullOrWhiteSpace(error.MessageVi));
            Assert.NotEqual(error.Message, error.MessageVi);
        }

        Assert.Equal(EdxmlError.Create(ErrorCode.MissingField, "X/Y", "Y"), SoapErrors.Create(ErrorCode.MissingField, "X/Y", "Y"));
        Assert.False(SoapErrors.Fault(SoapErrors.InternalError, "/", "ref-1").IsClientFault);
        Assert.True(SoapErrors.Fault(ErrorCode.TooLarge, "/", "a", "b").IsClientFault);
        Assert.Throws<ArgumentException>(() => SoapErrors.Create("NoSuchCode", "/"));
    }
}
