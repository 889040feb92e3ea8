using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Validation;
using Lgsp.Edxml.Writing;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Tests.Validation;

/// <summary>Hostile input is refused with the right code: never a hang, an exhaustion or an outbound request.</summary>
public class HostileInputTests
{
    private const string Head = """<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader><From><OrganId>000.00.01.H56</OrganId></From>""";
    private const string Tail = "</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>";

    [Theory]
    [InlineData("xxe-file.edxml", ErrorCode.DtdProhibited)]
    [InlineData("billion-laughs.edxml", ErrorCode.DtdProhibited)]
    [InlineData("xxe-parameter-entity.edxml", ErrorCode.DtdProhibited)]
    [InlineData("not-xml.edxml", ErrorCode.MalformedXml)]
    [InlineData("truncated.edxml", ErrorCode.MalformedXml)]
    public void A_hostile_file_of_the_corpus_is_refused_with_its_code(string file, string code)
    {
        var result = PackageValidator.ValidateFile(Repository.Path_("samples", "hostile", file));

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Findings);
        Assert.Equal(code, error.Code);
        Assert.Null(result.Package);
    }

    [Theory]
    [InlineData("xxe-network.edxml")]
    [InlineData("xxe-parameter-entity.edxml")]
    [InlineData("external-schema-location.edxml")]
    public void Nothing_is_fetched_from_a_url_a_package_names(string file)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var xml = File.ReadAllText(Repository.Path_("samples", "hostile", file)).Replace("127.0.0.1:9", $"127.0.0.1:{port}", StringComparison.Ordinal);

        var result = PackageValidator.Validate(Encoding.UTF8.GetBytes(xml));
        result.Package?.Dispose();

        Assert.False(listener.Pending(), "the validator opened a connection to the URL in the package");
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Deep_nesting_is_refused_as_too_deep()
    {
        var xml = Head + "<Subject>" + string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000)) + "</Subject>" + Tail;

        var error = Assert.Single(PackageValidator.Validate(Encoding.UTF8.GetBytes(xml)).Findings);

        Assert.Equal(ErrorCode.TooDeep, error.Code);
    }

    [Fact]
    public void An_element_flood_is_refused_as_too_many_elements()
    {
        var xml = Head + "<ToPlaces>" + string.Concat(Enumerable.Repeat("<Place>x</Place>", 200_000)) + "</ToPlaces>" + Tail;

        var error = Assert.Single(PackageValidator.Validate(Encoding.UTF8.GetBytes(xml)).Findings);

        Assert.Equal(ErrorCode.TooManyElements, error.Code);
    }

    [Fact]
    public void An_attribute_flood_on_one_element_is_refused_as_too_large()
    {
        var attributes = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"a{i}=\"x\""));
        var xml = Head + $"<Subject {attributes}>x</Subject>" + Tail;

        var error = Assert.Single(PackageValidator.Validate(Encoding.UTF8.GetBytes(xml)).Findings);

        Assert.Equal(ErrorCode.TooLarge, error.Code);
    }

    [Fact]
    public void A_package_over_the_size_limit_is_refused_as_too_large()
    {
        var limits = XmlLimits.Default with { MaxPackageBytes = 1024 * 1024 };
        var xml = Head + "<Subject>" + new string('x', 2 * 1024 * 1024) + "</Subject>" + Tail;

        var error = Assert.Single(PackageValidator.Validate(Encoding.UTF8.GetBytes(xml), new ValidationOptions { Limits = limits }).Findings);

        Assert.Equal(ErrorCode.TooLarge, error.Code);
    }

    [Fact]
    public void A_huge_header_text_is_refused_as_too_large()
    {
        var xml = Head + "<Subject>" + new string('x', 2 * 1024 * 1024) + "</Subject>" + Tail;

        var error = Assert.Single(PackageValidator.Validate(Encoding.UTF8.GetBytes(xml)).Findings);

        Assert.Equal(ErrorCode.TooLarge, error.Code);
    }

    [Fact]
    public void An_attachment_over_the_size_limit_is_refused_as_too_large()
    {
        var limits = XmlLimits.Default with { MaxAttachmentBytes = 512 * 1024 };
        using var package = Packages.FullDocument() with
        {
            Attachments = [Attachment.FromBytes("big.pdf", new byte[1024 * 1024], "application/pdf", "cid:1")],
        };

        var error = Assert.Single(PackageValidator.Validate(PackageWriter.ToBytes(package), new ValidationOptions { Limits = limits }).Findings);

        Assert.Equal(ErrorCode.TooLarge, error.Code);
        Assert.Equal("AttachmentEncoded/Attachment[1]/ContentTransferEncoded", error.Field);
    }

    [Fact]
    public void A_zip_attachment_that_inflates_a_thousand_fold_is_refused_as_a_zip_bomb()
    {
        using var package = Packages.FullDocument() with
        {
            References = [new ManifestReference("cid:1", "application/zip", "bomb", "bomb.pdf")],
            Attachments = [Attachment.FromBytes("bomb.pdf", new byte[50 * 1024 * 1024], "application/pdf", "cid:1", zip: true)],
        };
        Assert.True(package.Attachments[0].Content.Length < 200 * 1024, "the test bomb should be small");

        var result = PackageValidator.Validate(PackageWriter.ToBytes(package));
        result.Package?.Dispose();

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCode.ZipBomb, error.Code);
        Assert.Equal("AttachmentEncoded/Attachment[1]", error.Field);
    }

    [Fact]
    public void A_zip_entry_that_inflates_beyond_what_it_declares_yields_no_more_than_it_declares()
    {
        // The declared sizes are what the bomb checks cap, so a lying entry must not get past them.
        // The runtime's zip reader stops at the declared size; our own bound would refuse more.
        var zip = LyingZip(actual: 4 * 1024 * 1024, declared: 100_000);
        var attachment = new Attachment("cid:1", "liar.pdf", null, "application/zip", AttachmentContent.FromBytes(zip));

        var file = Assert.Single(attachment.Files());
        Assert.Equal(100_000, file.Length);
        using var stream = file.Open();
        using var copy = new MemoryStream();
        try
        {
            stream.CopyTo(copy);
        }
        catch (EdxmlFormatException ex)
        {
            Assert.Equal(ErrorCode.ZipBomb, ex.Error.Code);
        }

        Assert.True(copy.Length <= 100_000, $"inflated {copy.Length} bytes from an entry declaring 100000");
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_as_malformed()
    {
        var bytes = Encoding.UTF8.GetBytes(Head + "<Subject>X</Subject>" + Tail);
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3;

        var error = Assert.Single(PackageValidator.Validate(bytes).Findings);

        Assert.Equal(ErrorCode.MalformedXml, error.Code);
    }

    /// <summary>A one-entry zip whose headers claim a smaller uncompressed size than the data inflates to.</summary>
    private static byte[] LyingZip(int actual, int declared)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = archive.CreateEntry("liar.pdf", CompressionLevel.Optimal).Open();
            s.Write(new byte[actual]);
        }

        var zip = buffer.ToArray();
        // Patch the uncompressed size in the local header (offset 22) and the central directory entry (offset 24).
        BitConverter.TryWriteBytes(zip.AsSpan(22, 4), declared);
        var central = zip.AsSpan().LastIndexOf("PK\u0001\u0002"u8);
        BitConverter.TryWriteBytes(zip.AsSpan(central + 24, 4), declared);
        return zip;
    }
}
