using System.Buffers;
using System.Security.Cryptography;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Server.Inbound.Soap;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>Responses and faults have the shapes the WSDL, the XSD and the SOAP specifications say.</summary>
public class SoapResponseWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 31, 15, 0, 0, 123, TimeSpan.FromHours(7));

    public static TheoryData<SoapVersion> Versions => new() { SoapVersion.Soap11, SoapVersion.Soap12 };

    /// <summary>One response per operation, with optional elements both present and absent.</summary>
    public static IReadOnlyDictionary<string, Action<XmlWriter>> SampleResponses { get; } = new Dictionary<string, Action<XmlWriter>>
    {
        [EdocContract.SendDocument] = WriteAccept,
        [EdocContract.SendStatus] = WriteAccept,
        [EdocContract.GetPendingDocuments] = w =>
        {
            w.WriteEdocStartElement("Item");
            w.WriteEdocElement("Id", 7L);
            w.WriteEdocElement("DocumentId", "doc-1");
            w.WriteEdocElement("From", "000.00.01.H56");
            w.WriteEdocElement("To", "000.00.00.H56");
            w.WriteEdocElement("CodeNumber", "123");
            w.WriteEdocElement("CodeNotation", "STC-NS");
            w.WriteEdocElement("Subject", "V/v triển khai liên thông văn bản");
            w.WriteEdocElement("ReceivedAt", At);
            w.WriteEdocElement("Size", 52_428_800L);
            w.WriteEndElement();
            w.WriteEdocStartElement("Item");
            w.WriteEdocElement("Id", 8L);
            w.WriteEdocElement("DocumentId", "doc-2");
            w.WriteEdocElement("From", "000.00.01.H56");
            w.WriteEdocElement("To", "000.00.00.H56");
            w.WriteEdocElement("CodeNumber", (string?)null);
            w.WriteEdocElement("ReceivedAt", At);
            w.WriteEdocElement("Size", 1L);
            w.WriteEndElement();
        },
        [EdocContract.GetPendingStatuses] = w =>
        {
            w.WriteEdocStartElement("Item");
            w.WriteEdocElement("Id", 9L);
            w.WriteEdocElement("DocumentId", "doc-1");
            w.WriteEdocElement("From", "000.00.00.H56");
            w.WriteEdocElement("To", "000.00.01.H56");
            w.WriteEdocElement("StatusCode", "03");
            w.WriteEdocElement("ReceivedAt", At);
            w.WriteEndElement();
        },
        [EdocContract.GetDocument] = w => w.WriteEdocBase64Element("Package", RandomBytes(1000)),
        [EdocContract.ConfirmReceived] = w => w.WriteEdocElement("Ok", true),
        [EdocContract.GetDeliveries] = w =>
        {
            w.WriteEdocStartElement("Delivery");
            w.WriteEdocElement("Recipient", "000.00.00.H56");
            w.WriteEdocElement("State", "acknowledged");
            w.WriteEdocElement("Attempts", 2);
            w.WriteEdocElement("LastError", "timeout");
            w.WriteEdocElement("DeliveredAt", At);
            w.WriteEdocElement("AcknowledgedAt", (DateTimeOffset?)At.AddMinutes(5));
            w.WriteEdocElement("LastStatusCode", "06");
            w.WriteEndElement();
            w.WriteEdocStartElement("Delivery");
            w.WriteEdocElement("Recipient", "000.00.02.H56");
            w.WriteEdocElement("State", "pending");
            w.WriteEdocElement("Attempts", 0);
            w.WriteEdocElement("DeliveredAt", (DateTimeOffset?)null);
            w.WriteEndElement();
        },
        [EdocContract.GetTrace] = w =>
        {
            w.WriteEdocStartElement("Event");
            w.WriteEdocElement("Seq", 1L);
            w.WriteEdocElement("At", At);
            w.WriteEdocElement("Kind", "accepted");
            w.WriteEdocElement("Actor", "system:vanthu-h56");
            w.WriteEdocElement("Detail", "{\"size\":1}");
            w.WriteEndElement();
        },
        [EdocContract.GetAgencies] = w =>
        {
            w.WriteEdocStartElement("Agency");
            w.WriteEdocElement("Code", "000.00.01.H56");
            w.WriteEdocElement("Name", "Sở Tài chính");
            w.WriteEdocElement("ParentCode", "000.00.00.H56");
            w.WriteEdocElement("Tier", "department");
            w.WriteEdocElement("Active", false);
            w.WriteEdocElement("SuccessorCode", "000.00.09.H56");
            w.WriteEndElement();
        },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_operation_response_is_a_soap_envelope_whose_body_the_xsd_accepts(SoapVersion version)
    {
        var schemas = Compile("lgsp-edoc.xsd");
        foreach (var (operation, write) in SampleResponses)
        {
            var bytes = Write(version, operation, write);

            var root = Load(bytes).DocumentElement!;
            Assert.Equal(("Envelope", version.EnvelopeNamespace()), (root.LocalName, root.NamespaceURI));
            var child = BodyChild(bytes);
            Assert.Equal((operation + "Response", EdocContract.Namespace), (child.LocalName, child.NamespaceURI));
            Validate(schemas, child.OuterXml);
        }
    }

    [Fact]
    public void Values_are_written_in_the_xsd_lexical_forms()
    {
        var child = BodyChild(Write(SoapVersion.Soap11, EdocContract.GetDeliveries, SampleResponses[EdocContract.GetDeliveries]));
        var first = child.ChildNodes.OfType<XmlElement>().First();

        Assert.Equal("2026-01-31T08:00:00.123Z", first["DeliveredAt", Ns]!.InnerText);
        Assert.Equal("2", first["Attempts", Ns]!.InnerText);
        Assert.Null(child.ChildNodes.OfType<XmlElement>().Last()["DeliveredAt", Ns]);
        Assert.Equal("false", BodyChild(Write(SoapVersion.Soap11, EdocContract.GetAgencies, SampleResponses[EdocContract.GetAgencies])).FirstChild!["Active", Ns]!.InnerText);
    }

    [Fact]
    public void A_multi_megabyte_package_is_written_in_base64_and_decodes_byte_identical()
    {
        var package = RandomBytes(6 * 1024 * 1024 + 1, 3);
        var bytes = Write(SoapVersion.Soap12, EdocContract.GetDocument, w => w.WriteEdocBase64Element("Package", package));

        using var reader = XmlReader.Create(new MemoryStream(bytes));
        Assert.True(reader.ReadToFollowing("Package", Ns));
        using var decoded = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = reader.ReadElementContentAsBase64(buffer, 0, buffer.Length)) > 0)
        {
            decoded.Write(buffer, 0, read);
        }

        Assert.Equal(SHA256.HashData(package), SHA256.HashData(decoded.ToArray()));
    }

    [Fact]
    public void A_package_given_as_a_slice_of_a_larger_buffer_is_written_exactly()
    {
        var buffer = RandomBytes(200_000);
        var slice = new ReadOnlyMemory<byte>(buffer, 1_001, 150_000);

        var child = BodyChild(Write(SoapVersion.Soap11, EdocContract.GetDocument, w => w.WriteEdocBase64Element("Package", slice)));

        Assert.Equal(slice.ToArray(), Convert.FromBase64String(child["Package", Ns]!.InnerText));
    }

    [Fact]
    public void The_stream_and_the_buffer_writer_produce_the_same_bytes()
    {
        var error = SoapErrors.Create(SoapErrors.MalformedSoap, "Body", "why");
        var buffer = new ArrayBufferWriter<byte>();
        using var stream = new MemoryStream();

        SoapResponseWriter.WriteFault(buffer, SoapVersion.Soap12, error, true);
        SoapResponseWriter.WriteFault(stream, SoapVersion.Soap12, error, true);

        Assert.Equal(stream.ToArray(), buffer.WrittenSpan.ToArray());
        Assert.Equal(Write(SoapVersion.Soap11, EdocContract.ConfirmReceived, SampleResponses[EdocContract.ConfirmReceived]), WriteToBuffer(SoapVersion.Soap11, EdocContract.ConfirmReceived, SampleResponses[EdocContract.ConfirmReceived]));
    }

    [Fact]
    public void Writing_a_response_of_an_unknown_operation_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Write(SoapVersion.Soap11, "Foo", _ => { }));
    }

    [Theory]
    [InlineData(true, "Client")]
    [InlineData(false, "Server")]
    public void A_soap_1_1_fault_has_faultcode_faultstring_and_the_error_detail(bool clientFault, string code)
    {
        var error = SoapErrors.Create(SoapErrors.UnknownOperation, "Body/Foo", "{urn:lgsp:edoc:1}Foo");

        var document = Load(WriteFault(SoapVersion.Soap11, error, clientFault));

        var fault = FaultElement(document, SoapVersions.Soap11Namespace);
        var children = fault.ChildNodes.OfType<XmlElement>().ToList();
        Assert.Equal(["faultcode", "faultstring", "detail"], children.Select(e => e.LocalName));
        Assert.All(children, e => Assert.Equal("", e.NamespaceURI));
        Assert.Equal((SoapVersions.Soap11Namespace, code), ResolveQName(children[0]));
        Assert.Equal(error.Message, children[1].InnerText);
        AssertErrorDetail(children[2], error);
    }

    [Theory]
    [InlineData(true, "Sender")]
    [InlineData(false, "Receiver")]
    public void A_soap_1_2_fault_has_code_reason_in_both_languages_and_the_error_detail(bool clientFault, string code)
    {
        var error = SoapErrors.Create(SoapErrors.InternalError, "/", "ref-42");
        var ns = SoapVersions.Soap12Namespace;

        var document = Load(WriteFault(SoapVersion.Soap12, error, clientFault));

        var fault = FaultElement(document, ns);
        var children = fault.ChildNodes.OfType<XmlElement>().ToList();
        Assert.Equal(["Code", "Reason", "Detail"], children.Select(e => e.LocalName));
        Assert.All(children, e => Assert.Equal(ns, e.NamespaceURI));
        var value = Assert.Single(children[0].ChildNodes.OfType<XmlElement>());
        Assert.Equal(("Value", ns), (value.LocalName, value.NamespaceURI));
        Assert.Equal((ns, code), ResolveQName(value));
        var texts = children[1].ChildNodes.OfType<XmlElement>().ToList();
        Assert.All(texts, t => Assert.Equal(("Text", ns), (t.LocalName, t.NamespaceURI)));
        Assert.Equal(["en", "vi"], texts.Select(t => t.GetAttribute("lang", "http://www.w3.org/XML/1998/namespace")));
        Assert.Equal([error.Message, error.MessageVi], texts.Select(t => t.InnerText));
        AssertErrorDetail(children[2], error);
    }

    [Fact]
    public void Characters_xml_cannot_carry_are_replaced_in_faults_and_values()
    {
        var error = new EdxmlError("MalformedXml", "line 1", "bad \u0001 char \uD800 here", "ký tự \u0008 lỗi");

        var document = Load(WriteFault(SoapVersion.Soap12, error, true));
        var child = BodyChild(Write(SoapVersion.Soap11, EdocContract.GetTrace, w =>
        {
            w.WriteEdocStartElement("Event");
            w.WriteEdocElement("Seq", 1L);
            w.WriteEdocElement("At", At);
            w.WriteEdocElement("Kind", "k");
            w.WriteEdocElement("Actor", "a");
            w.WriteEdocElement("Detail", "tab\tnewline\r\nbell\u0007 😀");
            w.WriteEndElement();
        }));

        Assert.Contains("bad \uFFFD char \uFFFD here", document.OuterXml, StringComparison.Ordinal);
        Assert.Equal("tab\tnewline\r\nbell\uFFFD 😀", child.FirstChild!["Detail", Ns]!.InnerText);
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, true, 500)]
    [InlineData(SoapVersion.Soap11, false, 500)]
    [InlineData(SoapVersion.Soap12, true, 400)]
    [InlineData(SoapVersion.Soap12, false, 500)]
    public void A_fault_is_answered_with_the_status_of_its_version(SoapVersion version, bool clientFault, int status)
    {
        Assert.Equal(status, SoapResponseWriter.FaultStatusCode(version, SoapErrors.Create(SoapErrors.MalformedSoap, "/", "x"), clientFault));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Missing_credentials_are_401_and_an_unsupported_media_type_415_in_both_versions(SoapVersion version)
    {
        Assert.Equal(401, SoapResponseWriter.FaultStatusCode(version, SoapErrors.Create(SoapErrors.Unauthenticated, "Authorization"), true));
        Assert.Equal(415, SoapResponseWriter.FaultStatusCode(version, SoapErrors.Create(SoapErrors.UnsupportedMediaType, "Content-Type", "x"), true));
        Assert.Equal("Basic realm=\"lgsp\"", SoapResponseWriter.BasicChallenge);
    }

    [Fact]
    public void The_content_type_of_the_answer_follows_the_version()
    {
        Assert.Equal("text/xml; charset=utf-8", SoapResponseWriter.ContentType(SoapVersion.Soap11));
        Assert.Equal("application/soap+xml; charset=utf-8", SoapResponseWriter.ContentType(SoapVersion.Soap12));
    }

    private static void AssertErrorDetail(XmlElement detail, EdxmlError error)
    {
        var element = Assert.Single(detail.ChildNodes.OfType<XmlElement>());
        Assert.Equal(("Error", Ns), (element.LocalName, element.NamespaceURI));
        Assert.Equal(["Code", "Field", "Message", "MessageVi"], element.ChildNodes.OfType<XmlElement>().Select(e => e.LocalName));
        Assert.Equal([error.Code, error.Field, error.Message, error.MessageVi], element.ChildNodes.OfType<XmlElement>().Select(e => e.InnerText));
        Validate(Compile("lgsp-edoc.xsd"), element.OuterXml);
    }

    private static XmlElement FaultElement(XmlDocument document, string ns)
    {
        var root = document.DocumentElement!;
        Assert.Equal(("Envelope", ns), (root.LocalName, root.NamespaceURI));
        var body = Assert.Single(root.ChildNodes.OfType<XmlElement>());
        Assert.Equal(("Body", ns), (body.LocalName, body.NamespaceURI));
        var fault = Assert.Single(body.ChildNodes.OfType<XmlElement>());
        Assert.Equal(("Fault", ns), (fault.LocalName, fault.NamespaceURI));
        return fault;
    }

    private static (string Namespace, string LocalName) ResolveQName(XmlElement element)
    {
        var text = element.InnerText;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        Assert.True(colon > 0, $"'{text}' is not a prefixed QName");
        return (element.GetNamespaceOfPrefix(text[..colon]), text[(colon + 1)..]);
    }

    private static byte[] Write(SoapVersion version, string operation, Action<XmlWriter> write)
    {
        using var stream = new MemoryStream();
        SoapResponseWriter.WriteResponse(stream, version, operation, write);
        return stream.ToArray();
    }

    private static byte[] WriteToBuffer(SoapVersion version, string operation, Action<XmlWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SoapResponseWriter.WriteResponse(buffer, version, operation, write);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] WriteFault(SoapVersion version, EdxmlError error, bool clientFault)
    {
        using var stream = new MemoryStream();
        SoapResponseWriter.WriteFault(stream, version, error, clientFault);
        return stream.ToArray();
    }

    private static void WriteAccept(XmlWriter w)
    {
        w.WriteEdocElement("DocumentId", "doc-1");
        w.WriteEdocElement("Sha256", Convert.ToHexStringLower(SHA256.HashData(RandomBytes(10))));
        w.WriteEdocElement("ReceivedAt", At);
        w.WriteEdocElement("Duplicate", false);
        w.WriteEdocBase64Element("Receipt", "<Receipt/>"u8.ToArray());
    }
}
