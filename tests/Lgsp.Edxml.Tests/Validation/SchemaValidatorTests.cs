using System.Text;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Validation;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Tests.Validation;

public partial class SchemaValidatorTests
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
