using System.Text;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Validation;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Tests.Validation;

// What stops the reading (malformed XML, a DTD, a limit, another root), what it ignores, and how it
// behaves under concurrency and with a large attachment.
public partial class SchemaValidatorTests
{
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
}
