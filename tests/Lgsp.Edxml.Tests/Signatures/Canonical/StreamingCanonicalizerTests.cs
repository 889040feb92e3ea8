using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Signatures.Canonical;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Tests.Signatures.Canonical;

/// <summary>The streaming canonicaliser against the canonicalisation transforms of
/// System.Security.Cryptography.Xml, byte for byte: a canonicaliser that drops or changes anything is a
/// signature bypass, so every difference fails.</summary>
public sealed class StreamingCanonicalizerTests
{
    private const string PrefixList = "#default unused a c";

    public static TheoryData<string, string> DocumentsAndModes()
    {
        var data = new TheoryData<string, string>();
        var documents = C14NFeatures.Documents.Keys
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "samples", "vxp-sdk"), "*.edxml").Order().Select(p => "sample:" + Path.GetFileName(p)));
        foreach (var document in documents)
        {
            foreach (var mode in new[] { "exclusive", "exclusive-prefixes", "inclusive" })
            {
                data.Add(document, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentsAndModes))]
    public void Its_output_is_byte_for_byte_what_the_SignedXml_transform_writes(string document, string mode)
    {
        var xml = Xml(document);
        var elements = Load(xml).SelectNodes("//*")!.Count;

        // The whole document, then without the root's first child, the signature's place in the header,
        // a deep element inside redeclared namespaces, and the last element.
        foreach (var omit in new long[] { -1, 1, Math.Min(3, elements - 1), elements / 2, elements - 1 }.Distinct())
        {
            var expected = Transformed(xml, mode, omit);
            var actual = Streamed(xml, mode, omit);
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                var at = expected.AsSpan().CommonPrefixLength(actual);
                Assert.Fail($"{document}, {mode}, element {omit} left out: the outputs differ at byte {at}:\n" +
                    $"SignedXml: {Around(expected, at)}\nstreamed:  {Around(actual, at)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(DocumentsAndModes))]
    public void Its_output_with_text_runs_elided_is_byte_for_byte_what_the_SignedXml_transform_writes(string document, string mode)
    {
        // Runs as short as one byte: every word of base64 letters is elided and put back.
        var xml = Xml(document);
        var elements = Load(xml).SelectNodes("//*")!.Count;
        foreach (var minRun in new[] { 1, 5, 64 })
        {
            foreach (var omit in new long[] { -1, 1, Math.Min(3, elements - 1), elements / 2, elements - 1 }.Distinct())
            {
                var expected = Transformed(xml, mode, omit);
                var actual = Elided(xml, mode, omit, minRun, out var runs);
                Assert.True(runs > 0 || minRun > 1, $"{document}: nothing was elided with runs of {minRun} bytes");
                if (!expected.AsSpan().SequenceEqual(actual))
                {
                    var at = expected.AsSpan().CommonPrefixLength(actual);
                    Assert.Fail($"{document}, {mode}, element {omit} left out, runs from {minRun} bytes elided: the outputs differ at byte {at}:\n" +
                        $"SignedXml: {Around(expected, at)}\nelided:    {Around(actual, at)}");
                }
            }
        }
    }

    [Fact]
    public void A_document_differing_only_in_what_C14N_ignores_canonicalises_the_same()
    {
        // Proves the comparison above sees through the things it must: the XML declaration, comments,
        // attribute order, quotes, whitespace inside tags, empty-element syntax, CDATA and references.
        var one = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!--c--><r xmlns:u=\"urn:u\" b='2' a=\"1\"><e></e><t><![CDATA[<&]]></t></r>");
        var two = Encoding.UTF8.GetBytes("<r a=\"1\"   b=\"2\" ><e/><t>&lt;&amp;</t><!--other--></r>");

        Assert.Equal(Streamed(one, "exclusive", -1), Streamed(two, "exclusive", -1));
        Assert.NotEqual(Streamed(one, "inclusive", -1), Streamed(two, "inclusive", -1)); // the unused xmlns:u stays in inclusive C14N
    }

    [Fact]
    public void A_changed_character_anywhere_it_renders_changes_the_output()
    {
        var xml = Xml("kitchen");
        var original = Streamed(xml, "exclusive", -1);
        foreach (var (from, to) in new[] { ("no namespace", "no nameSpace"), ("a=\"first\"", "a=\"firsT\""), ("urn:default2", "urn:default3"), ("&#13;&#10;", "&#10;&#10;"), ("\"quotes\"", "\"quoteS\""), ("<empty/>", "<empty/><empty/>"), ("<ws>   </ws>", "<ws>  </ws>") })
        {
            var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(xml).Replace(from, to, StringComparison.Ordinal));
            Assert.NotEqual(original, Streamed(changed, "exclusive", -1));
        }
    }

    internal static byte[] Xml(string document) => document.StartsWith("sample:", StringComparison.Ordinal)
        ? File.ReadAllBytes(Repository.Sample(document["sample:".Length..]))
        : C14NFeatures.Bytes(C14NFeatures.Documents[document]);

    internal static XmlDocument Load(byte[] xml)
    {
        var start = PackageStart.XmlOffset(xml);
        return SafeXml.LoadDocument(new MemoryStream(xml, start, xml.Length - start), XmlLimits.Default);
    }

    internal static byte[] Streamed(byte[] xml, string mode, long omit, string? prefixList = PrefixList)
    {
        var start = PackageStart.XmlOffset(xml);
        var output = new MemoryStream();
        using var reader = SafeXml.CreateReader(new MemoryStream(xml, start, xml.Length - start), XmlLimits.Default);
        new StreamingCanonicalizer(new CanonicalSink(output.Write), mode != "inclusive", mode == "exclusive-prefixes" ? prefixList : null)
            .Write(reader, omit);
        return output.ToArray();
    }

    /// <summary>The canonical form through <see cref="ElidingCanonicalization"/>; fails the test when it
    /// gives up (the callers pass documents it must handle).</summary>
    internal static byte[] Elided(byte[] xml, string mode, long omit, int minRun, out int runs, string? prefixList = PrefixList)
    {
        var output = ElidedOrNull(xml, mode, omit, minRun, out runs, prefixList);
        Assert.True(output is not null, "the eliding path gave up on a document it must handle");
        return output;
    }

    /// <summary>The canonical form through <see cref="ElidingCanonicalization"/>, or null when it gave up.</summary>
    internal static byte[]? ElidedOrNull(byte[] xml, string mode, long omit, int minRun, out int runs, string? prefixList = PrefixList)
    {
        var start = PackageStart.XmlOffset(xml);
        var output = new MemoryStream();
        return ElidingCanonicalization.TryWrite(
            () => new MemoryStream(xml, start, xml.Length - start, writable: false), XmlLimits.Default, new CanonicalSink(output.Write),
            mode != "inclusive", mode == "exclusive-prefixes" ? prefixList : null, omit, null, out runs, minRun)
            ? output.ToArray()
            : null;
    }

    internal static byte[] Transformed(byte[] xml, string mode, long omit)
    {
        var document = Load(xml);
        if (omit >= 0)
        {
            var element = document.SelectNodes("//*")![(int)omit]!;
            element.ParentNode!.RemoveChild(element);
        }

        Transform transform = mode switch
        {
            "inclusive" => new XmlDsigC14NTransform(includeComments: false),
            "exclusive" => new XmlDsigExcC14NTransform(includeComments: false),
            _ => new XmlDsigExcC14NTransform(includeComments: false, PrefixList),
        };
        transform.LoadInput(document);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        var bytes = new MemoryStream();
        output.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static string Around(byte[] bytes, int at) =>
        Encoding.UTF8.GetString(bytes, Math.Max(0, at - 60), Math.Min(bytes.Length, at + 60) - Math.Max(0, at - 60)).ReplaceLineEndings("⏎");
}
