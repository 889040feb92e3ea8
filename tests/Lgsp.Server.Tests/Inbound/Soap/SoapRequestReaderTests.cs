using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Server.Inbound.Soap;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>The reader returns what the contract allows and refuses everything else with a code.</summary>
public class SoapRequestReaderTests
{
    public static TheoryData<SoapVersion> Versions => new() { SoapVersion.Soap11, SoapVersion.Soap12 };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Both_envelope_versions_are_read_with_their_fields(SoapVersion version)
    {
        var request = await ReadAsync(version, Envelope(version, OperationSamples[EdocContract.GetPendingDocuments]));

        Assert.Equal(version, request.Version);
        Assert.Equal(EdocContract.GetPendingDocuments, request.Operation);
        Assert.Equal("000.00.01.H56", request.Get("Agency"));
        Assert.Equal(50, request.GetInt32("MaxCount"));
        Assert.Null(request.Package);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Every_sample_operation_is_read(SoapVersion version)
    {
        foreach (var (operation, body) in OperationSamples)
        {
            var request = await ReadAsync(version, Envelope(version, body), EdocContract.ActionOf(operation));
            Assert.Equal(operation, request.Operation);
        }
    }

    [Fact]
    public async Task Typed_values_are_parsed_as_the_xsd_types()
    {
        var confirm = await ReadAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, OperationSamples[EdocContract.ConfirmReceived]));
        var agencies = await ReadAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, $"<GetAgencies xmlns=\"{Ns}\"><ChangedSince>2026-01-31T15:00:00+07:00</ChangedSince></GetAgencies>"));
        var noZone = await ReadAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, $"<GetAgencies xmlns=\"{Ns}\"><ChangedSince>2026-01-31T08:00:00</ChangedSince></GetAgencies>"));

        Assert.Equal(42L, confirm.GetInt64("Id"));
        Assert.Equal("fail", confirm.Get("Outcome"));
        Assert.Equal("Không đọc được tệp", confirm.Get("Reason"));
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 8, 0, 0, TimeSpan.Zero), agencies.GetDateTime("ChangedSince"));
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 8, 0, 0, TimeSpan.Zero), noZone.GetDateTime("ChangedSince"));
    }

    [Fact]
    public async Task Optional_elements_absent_empty_or_nil_are_not_given()
    {
        var body = $"<GetPendingDocuments xmlns=\"{Ns}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Agency/><MaxCount xsi:nil=\"true\"/></GetPendingDocuments>";

        var request = await ReadAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, body));
        var empty = await ReadAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, $"<GetAgencies xmlns=\"{Ns}\"/>"));

        Assert.Empty(request.Fields);
        Assert.Null(request.GetInt32("MaxCount"));
        Assert.Empty(empty.Fields);
        Assert.Null(empty.GetDateTime("ChangedSince"));
    }

    [Fact]
    public async Task Prefixes_comments_whitespace_and_cdata_do_not_matter()
    {
        var body = Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\"?>\n<!-- a client -->\n<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\">\n  <env:Header/>\n  <env:Body>\n"
            + $"    <e:GetTrace xmlns:e=\"{Ns}\">\n      <e:DocumentId><![CDATA[ abc ]]><!-- x --></e:DocumentId>\n    </e:GetTrace>\n  </env:Body>\n</env:Envelope>\n");

        var request = await ReadAsync(SoapVersion.Soap11, body);

        Assert.Equal("abc", request.Get("DocumentId"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1024 * 1024)]
    [InlineData(8 * 1024 * 1024 + 7)]
    public async Task A_base64_package_comes_back_byte_identical(int size)
    {
        var package = RandomBytes(Math.Max(size, 1), size);
        var body = Envelope(SoapVersion.Soap12, $"<SendDocument xmlns=\"{Ns}\"><Package>{Convert.ToBase64String(package)}</Package></SendDocument>");

        var request = await ReadAsync(SoapVersion.Soap12, body);

        Assert.Equal(SHA256.HashData(package), SHA256.HashData(request.Package!.ToArray()));
        Assert.Equal(package.Length, request.Package!.Length);
    }

    [Fact]
    public async Task A_multi_megabyte_package_with_line_breaks_read_in_small_pieces_comes_back_byte_identical()
    {
        var package = RandomBytes(5 * 1024 * 1024 + 3, 7);
        var base64 = Convert.ToBase64String(package, Base64FormattingOptions.InsertLineBreaks);
        var body = Envelope(SoapVersion.Soap11, $"<SendStatus xmlns=\"{Ns}\">\r\n<Package>\r\n{base64}\r\n</Package></SendStatus>");

        var request = await SoapRequestReader.ReadAsync(new TrickleStream(body, 997), "text/xml", "\"urn:lgsp:edoc:1/SendStatus\"", SoapLimits.Default);

        Assert.True(package.AsSpan().SequenceEqual(request.Package!.ToArray()));
    }

    [Fact]
    public async Task A_package_that_is_not_base64_is_refused()
    {
        var fault = await RefuseAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, $"<SendDocument xmlns=\"{Ns}\"><Package>not*base64!</Package></SendDocument>"));

        Assert.Equal(SoapErrors.MalformedSoap, fault.Error.Code);
        Assert.Equal("SendDocument/Package", fault.Error.Field);
        Assert.Contains("base64", fault.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>")]
    [InlineData("<!DOCTYPE x SYSTEM \"http://127.0.0.1:9/x.dtd\">")]
    public async Task A_DTD_is_refused_before_anything_is_resolved(string doctype)
    {
        var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?>{doctype}<s:Envelope xmlns:s=\"{SoapVersions.Soap11Namespace}\"><s:Body><GetTrace xmlns=\"{Ns}\"><DocumentId>&e;</DocumentId></GetTrace></s:Body></s:Envelope>");

        var fault = await RefuseAsync(SoapVersion.Soap11, body);

        Assert.Equal(ErrorCode.DtdProhibited, fault.Error.Code);
        Assert.Contains("request", fault.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_fetched_from_a_url_a_request_names()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY % p SYSTEM \"http://127.0.0.1:{port}/p\"> %p;]><s:Envelope xmlns:s=\"{SoapVersions.Soap11Namespace}\" xmlns:xi=\"http://www.w3.org/2001/XInclude\"><s:Body><xi:include href=\"http://127.0.0.1:{port}/i\"/></s:Body></s:Envelope>");

        await RefuseAsync(SoapVersion.Soap11, body);

        Assert.False(listener.Pending(), "the reader opened a connection to the URL in the request");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_without_reading_it_all()
    {
        var package = RandomBytes(4 * 1024 * 1024);
        var body = Envelope(SoapVersion.Soap11, $"<SendDocument xmlns=\"{Ns}\"><Package>{Convert.ToBase64String(package)}</Package></SendDocument>");
        var stream = new TrickleStream(body, 64 * 1024);

        var fault = await Assert.ThrowsAsync<SoapFaultException>(() =>
            SoapRequestReader.ReadAsync(stream, "text/xml", null, new SoapLimits { MaxBodyBytes = 1024 * 1024 }));

        Assert.Equal(ErrorCode.TooLarge, fault.Error.Code);
        Assert.True(fault.IsClientFault);
        Assert.True(stream.Position <= 1024 * 1024 + (64 * 1024), $"read {stream.Position} bytes of {body.Length}");
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read()
    {
        var body = Envelope(SoapVersion.Soap11, OperationSamples[EdocContract.GetTrace]);

        var request = await ReadAsync(SoapVersion.Soap11, body, limits: new SoapLimits { MaxBodyBytes = body.Length });

        Assert.Equal(EdocContract.GetTrace, request.Operation);
    }

    [Fact]
    public async Task A_field_longer_than_the_limit_is_refused()
    {
        var body = Envelope(SoapVersion.Soap11, $"<GetTrace xmlns=\"{Ns}\"><DocumentId>{new string('x', 5000)}</DocumentId></GetTrace>");

        var fault = await RefuseAsync(SoapVersion.Soap11, body);

        Assert.Equal(ErrorCode.TooLarge, fault.Error.Code);
        Assert.Equal("GetTrace/DocumentId", fault.Error.Field);
    }

    [Fact]
    public async Task Deep_nesting_in_a_header_is_refused_as_too_deep()
    {
        var header = string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000));

        var fault = await RefuseAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, OperationSamples[EdocContract.GetTrace], header));

        Assert.Equal(ErrorCode.TooDeep, fault.Error.Code);
    }

    [Theory]
    [InlineData("<Foo xmlns=\"urn:lgsp:edoc:1\"/>", "{urn:lgsp:edoc:1}Foo")]
    [InlineData("<GetTrace xmlns=\"urn:other\"><DocumentId>x</DocumentId></GetTrace>", "{urn:other}GetTrace")]
    [InlineData("<GetTrace><DocumentId>x</DocumentId></GetTrace>", "{}GetTrace")]
    [InlineData("<getTrace xmlns=\"urn:lgsp:edoc:1\"/>", "{urn:lgsp:edoc:1}getTrace")]
    public async Task An_element_that_is_not_an_operation_is_an_unknown_operation(string operation, string named)
    {
        var fault = await RefuseAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, operation));

        Assert.Equal(SoapErrors.UnknownOperation, fault.Error.Code);
        Assert.Contains(named, fault.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_header_marked_mustUnderstand_is_refused(SoapVersion version)
    {
        var ns = version.EnvelopeNamespace();
        var value = version == SoapVersion.Soap11 ? "1" : "true";
        var header = $"<wsse:Security xmlns:wsse=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\" s:mustUnderstand=\"{value}\"><wsse:UsernameToken/></wsse:Security>";

        var fault = await RefuseAsync(version, Envelope(version, OperationSamples[EdocContract.GetTrace], header));

        Assert.Equal(SoapErrors.MustUnderstand, fault.Error.Code);
        Assert.Equal("Header/wsse:Security", fault.Error.Field);
        Assert.Contains("Security", fault.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(ns);
    }

    [Theory]
    [InlineData("<t:Trace xmlns:t=\"urn:x\">1</t:Trace>")]
    [InlineData("<t:Trace xmlns:t=\"urn:x\" s:mustUnderstand=\"0\"><t:Deep><t:Deeper/></t:Deep></t:Trace><t:More xmlns:t=\"urn:x\"/>")]
    [InlineData("<t:Trace xmlns:t=\"urn:x\" mustUnderstand=\"1\"/>")]
    public async Task Other_headers_are_ignored(string header)
    {
        var request = await ReadAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, OperationSamples[EdocContract.GetTrace], header));

        Assert.Equal(EdocContract.GetTrace, request.Operation);
    }

    [Theory]
    [InlineData("<Envelope/>", "/")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"/>", "Envelope")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header/></s:Envelope>", "Envelope")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>", "Body")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body> </s:Body></s:Envelope>", "Body")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>text</s:Body></s:Envelope>", "Body")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetAgencies xmlns=\"urn:lgsp:edoc:1\"/></s:Body><s:Header/></s:Envelope>", "Envelope/s:Header")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><Body/></s:Envelope>", "Envelope/Body")]
    public async Task What_is_not_an_Envelope_with_one_Body_is_malformed_soap(string xml, string field)
    {
        var fault = await RefuseAsync(SoapVersion.Soap11, Encoding.UTF8.GetBytes(xml));

        Assert.Equal(SoapErrors.MalformedSoap, fault.Error.Code);
        Assert.Equal(field, fault.Error.Field);
    }

    [Fact]
    public async Task Two_operations_in_one_body_are_refused()
    {
        var fault = await RefuseAsync(SoapVersion.Soap11, Envelope(SoapVersion.Soap11, OperationSamples[EdocContract.GetTrace] + OperationSamples[EdocContract.GetTrace]));

        Assert.Equal(SoapErrors.MalformedSoap, fault.Error.Code);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetTrace xmlns=\"urn:lgsp:edoc:1\"><DocumentId>x</DocumentId>")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetTrace xmlns=\"urn:lgsp:edoc:1\"><DocumentId>x</DocumentId></GetTrace></s:Body></s:Envelope><more/>")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetTrace xmlns=\"urn:lgsp:edoc:1\"><DocumentId>\u0001</DocumentId></GetTrace></s:Body></s:Envelope>")]
    public async Task Malformed_xml_is_refused_as_malformed_xml(string xml)
    {
        var fault = await RefuseAsync(SoapVersion.Soap11, Encoding.UTF8.GetBytes(xml));

        Assert.Equal(ErrorCode.MalformedXml, fault.Error.Code);
        Assert.Contains("request", fault.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\"/>", ErrorCode.MissingField, "GetDocument/Id")]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\"><Id> </Id></GetDocument>", ErrorCode.MissingField, "GetDocument/Id")]
    [InlineData("<SendDocument xmlns=\"urn:lgsp:edoc:1\"><Package></Package></SendDocument>", ErrorCode.MissingField, "SendDocument/Package")]
    [InlineData("<SendDocument xmlns=\"urn:lgsp:edoc:1\"><Package/></SendDocument>", ErrorCode.MissingField, "SendDocument/Package")]
    [InlineData("<SendDocument xmlns=\"urn:lgsp:edoc:1\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><Package i:nil=\"true\"/></SendDocument>", ErrorCode.MissingField, "SendDocument/Package")]
    [InlineData("<ConfirmReceived xmlns=\"urn:lgsp:edoc:1\"><Id>1</Id></ConfirmReceived>", ErrorCode.MissingField, "ConfirmReceived/Outcome")]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\"><Id>1</Id><Id>2</Id></GetDocument>", ErrorCode.DuplicateField, "GetDocument/Id")]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\"><Id>one</Id></GetDocument>", ErrorCode.InvalidNumber, "GetDocument/Id")]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\"><Id>99999999999999999999</Id></GetDocument>", ErrorCode.InvalidNumber, "GetDocument/Id")]
    [InlineData("<GetPendingStatuses xmlns=\"urn:lgsp:edoc:1\"><MaxCount>0</MaxCount></GetPendingStatuses>", ErrorCode.InvalidNumber, "GetPendingStatuses/MaxCount")]
    [InlineData("<GetAgencies xmlns=\"urn:lgsp:edoc:1\"><ChangedSince>31/01/2026</ChangedSince></GetAgencies>", ErrorCode.InvalidDate, "GetAgencies/ChangedSince")]
    [InlineData("<ConfirmReceived xmlns=\"urn:lgsp:edoc:1\"><Id>1</Id><Outcome>DONE</Outcome></ConfirmReceived>", SoapErrors.InvalidValue, "ConfirmReceived/Outcome")]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\"><Id xmlns=\"\">1</Id></GetDocument>", SoapErrors.MalformedSoap, "GetDocument/Id")]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\"><Id>1</Id><Extra/></GetDocument>", SoapErrors.MalformedSoap, "GetDocument/Extra")]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\"><Id><Value>1</Value></Id></GetDocument>", SoapErrors.MalformedSoap, "GetDocument/Id")]
    [InlineData("<GetDocument xmlns=\"urn:lgsp:edoc:1\">1</GetDocument>", SoapErrors.MalformedSoap, "GetDocument")]
    [InlineData("<GetTrace xmlns=\"urn:lgsp:edoc:1\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><DocumentId i:nil=\"true\">x</DocumentId></GetTrace>", SoapErrors.MalformedSoap, "GetTrace/DocumentId")]
    public async Task Request_children_are_checked_against_the_contract(string operation, string code, string field)
    {
        var fault = await RefuseAsync(SoapVersion.Soap12, Envelope(SoapVersion.Soap12, operation));

        Assert.Equal(code, fault.Error.Code);
        Assert.Equal(field, fault.Error.Field);
        Assert.NotEqual(fault.Error.Message, fault.Error.MessageVi);
    }

    [Fact]
    public async Task A_utf16_request_is_read()
    {
        var xml = Encoding.UTF8.GetString(Envelope(SoapVersion.Soap11, OperationSamples[EdocContract.GetTrace])).Replace("utf-8", "utf-16", StringComparison.Ordinal);
        var body = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(xml)).ToArray();

        var request = await ReadAsync(SoapVersion.Soap11, body);

        Assert.Equal("5f0c2d1e-0000-4000-8000-000000000001", request.Get("DocumentId"));
    }

    /// <summary>Returns at most a few bytes per read, as a slow network does; counts what was read.</summary>
    private sealed class TrickleStream(byte[] data, int step) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, step)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, step)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, step), cancellationToken);
    }
}
