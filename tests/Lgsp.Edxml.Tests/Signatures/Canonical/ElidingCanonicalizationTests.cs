using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures.Canonical;
using static Lgsp.Edxml.Tests.Signatures.Canonical.StreamingCanonicalizerTests;

namespace Lgsp.Edxml.Tests.Signatures.Canonical;

/// <summary>The canonical form with long base64 runs elided, at the threshold the verifier uses, against
/// SignedXml's transforms and the plain streamed path, byte for byte, with runs in every place the lexer
/// has to tell apart; and the packages on which it must give up (a placeholder character or a reference to
/// one in the package), on which the plain path then answers.</summary>
public sealed class ElidingCanonicalizationTests
{
    private const int N = LongRunElidingStream.DefaultMinRun;

    private const string Signature = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignatureValue>c2ln</ds:SignatureValue><ds:Object>{R}</ds:Object></ds:Signature>";

    /// <summary>A run of <paramref name="length"/> base64 bytes, a line end every 76 (starting with a letter).</summary>
    internal static string Run(int length, char seed = 'A', string lineEnd = "\n")
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var text = new StringBuilder(length + lineEnd.Length);
        var i = alphabet.IndexOf(seed, StringComparison.Ordinal);
        for (var k = 0; text.Length < length; k++)
        {
            if (lineEnd.Length > 0 && k % 77 == 76)
            {
                text.Append(lineEnd);
            }
            else
            {
                text.Append(alphabet[i++ % alphabet.Length]);
            }
        }

        return text.ToString(0, length);
    }

    private static string Document(string body, string header = "", string declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n") =>
        declaration + "<edXML:edXML xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXML:edXMLEnvelope><edXML:edXMLHeader>" +
        "<edXML:MessageHeader><edXML:Subject>Công văn số 1, Việt Nam</edXML:Subject></edXML:MessageHeader>" + header +
        "</edXML:edXMLHeader></edXML:edXMLEnvelope><edXML:edXMLBody>" + body + "</edXML:edXMLBody></edXML:edXML>\n";

    /// <summary>Name, document, how many runs the eliding path must elide.</summary>
    public static TheoryData<string, string, int> Cases()
    {
        var r = Run(3 * N + 17);
        return new()
        {
            { "runs as the body's first and last child", Document($"<a>{r}</a><b>short</b><c>{Run(N * 2, 'Q')}</c>"), 2 },
            { "a run directly in the body, between elements", Document($"<a/>{r}<b/>"), 1 },
            { "runs beside comments, and one inside a comment", Document($"<a><!--c-->{r}<!--{r}-->{r}<!-- - --></a>"), 2 },
            { "runs inside CDATA sections, one after a ]]> split", Document($"<a><![CDATA[{r}]]></a><b><![CDATA[x]]]]><![CDATA[>{r}]]>{r}</b><c><![CDATA[<{r}&>]]></c>"), 4 },
            { "a run inside a processing instruction only", Document($"<a><?pi {r}?></a><b><?pi {r}?>?></b>"), 0 },
            { "runs in attribute values only", Document($"<a v=\"{r}\" w='{r}'/>"), 0 },
            { "a run after '>' inside an attribute value containing '>'", Document($"<a v=\"x>{r}\" w='>{r}'>{r}</a>"), 1 },
            { "runs split by character references", Document($"<a>{r}&#65;{r}&#xA;{r}&#13;{r}&#x41;{r}</a>"), 5 },
            { "runs split by entity references in one text node", Document($"<a>{r}&amp;{r}&lt;{r}&gt;&quot;&apos;{r}</a>"), 4 },
            { "a run with CR LF line ends (lines shorter than the threshold)", Document($"<a>{Run(3 * N, 'A', "\r\n")}</a>"), 0 },
            { "long lines with CR LF between them", Document($"<a>{Run(N + 10, 'B', "")}\r\n{Run(N + 10, 'C', "")}\r{Run(N + 10, 'D', "")}\r\n</a>"), 3 },
            { "a run after a CR LF, starting with line feeds", Document($"<a>x\r\n\n\n{r}\r</a>"), 1 },
            { "a run of N-1 bytes", Document($"<a>{Run(N - 1)}</a>"), 0 },
            { "a run of exactly N bytes", Document($"<a>{Run(N)}</a>"), 1 },
            { "a run of N+1 bytes", Document($"<a>{Run(N + 1)}</a>"), 1 },
            { "a run right after Vietnamese text (multi-byte UTF-8)", Document($"<a>Việt Nam ữ{r}ữ</a>"), 1 },
            { "a run inside ds:Signature/ds:Object", Document($"<a>{r}</a>", Signature.Replace("{R}", r, StringComparison.Ordinal)), 2 },
            { "a run with = padding and spaces around it", Document($"<a>  {Run(N + 3)}==  </a>"), 1 },
            { "no XML declaration", Document($"<a>{r}</a>", declaration: ""), 1 },
            { "an XML declaration without encoding", Document($"<a>{r}</a>", declaration: "<?xml version=\"1.0\"?>"), 1 },
            { "a processing instruction named xml-stylesheet first", Document($"<a>{r}</a>", declaration: "<?xml-stylesheet href=\"a.xsl\" type=\"text/xsl\"?>\n"), 1 },
            { "a DOCTYPE-like text in a comment, then runs", Document($"<!-- <!DOCTYPE x> --><a>{r}</a>"), 1 },
            { "runs in character data after a comment holding quotes and '<'", Document($"<!-- \" ' < > --><a b=\"&lt;&quot;\">{r}</a>"), 1 },
            { "a long numeric reference with leading zeros beside a run", Document($"<a>&#{new string('0', 100)}65;{r}</a>"), 1 },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_canonical_form_with_runs_elided_is_SignedXmls_and_the_plain_paths(string name, string document, int runs)
    {
        var xml = Encoding.UTF8.GetBytes(document);
        AllAgree(name, xml, expectedRuns: runs);
    }

    [Theory]
    [InlineData("U+E000 in text", "<a>\uE0000\uE001{R}</a>")]
    [InlineData("U+E001 alone in text", "<a>{R}\uE001</a>")]
    [InlineData("a placeholder in an attribute value", "<a v=\"\uE0000\uE001\">{R}</a>")]
    [InlineData("U+E000 after the runs", "<a>{R}</a><b>\uE000</b>")]
    [InlineData("a hexadecimal reference to U+E000 in text", "<a>{R}&#xE000;0&#xE001;</a>")]
    [InlineData("a decimal reference to U+E000 in text", "<a>{R}&#57344;0&#57345;</a>")]
    [InlineData("a reference to U+E000 with leading zeros", "<a>{R}&#x0000E000;0&#x0E001;</a>")]
    [InlineData("a reference to a placeholder in an attribute value", "<a v=\"&#xE000;0&#xE001;\">{R}</a>")]
    [InlineData("a placeholder character in a processing instruction", "<a><?pi \uE0000\uE001?>{R}</a>")]
    [InlineData("a placeholder character in a comment", "<a><!-- \uE0000\uE001 -->{R}</a>")]
    public void A_document_holding_placeholder_characters_makes_it_give_up_and_the_plain_path_still_agrees_with_SignedXml(string name, string body)
    {
        var xml = Encoding.UTF8.GetBytes(Document(body.Replace("{R}", Run(2 * N), StringComparison.Ordinal)));

        foreach (var mode in new[] { "exclusive", "inclusive" })
        {
            Assert.True(ElidedOrNull(xml, mode, -1, N, out _) is null, $"{name}: the eliding path did not give up");
            Assert.Equal(Transformed(xml, mode, -1), Streamed(xml, mode, -1));
        }
    }

    [Fact]
    public void A_placeholder_forged_to_name_the_next_run_is_never_put_back()
    {
        // Run 0 is elided; "&#xE000;1&#xE001;" would name run 1 if it were taken as a placeholder.
        var xml = Encoding.UTF8.GetBytes(Document($"<a>{Run(2 * N)}</a><b>&#xE000;1&#xE001;</b><c>{Run(2 * N, 'Z')}</c>"));

        Assert.Null(ElidedOrNull(xml, "exclusive", -1, N, out _));
        Assert.Equal(Transformed(xml, "exclusive", -1), Streamed(xml, "exclusive", -1));
    }

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("windows-1258")]
    [InlineData("utf-16")]
    public void A_document_in_another_encoding_is_passed_through_unelided_and_canonicalised_as_SignedXml_does(string encodingName)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var encoding = Encoding.GetEncoding(encodingName);
        // What a code page lacks becomes '?': both paths read the same bytes.
        var text = Document($"<a>{Run(3 * N)}</a><b>Ðà Nẵng é</b>", declaration: $"<?xml version=\"1.0\" encoding=\"{encodingName}\"?>\n");
        var xml = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();

        AllAgree(encodingName, xml, expectedRuns: 0);
    }

    [Fact]
    public void A_run_outside_the_root_is_refused_by_both_paths()
    {
        var xml = Encoding.UTF8.GetBytes(Document("<a/>") + Run(2 * N));

        Assert.Throws<EdxmlFormatException>(() => Streamed(xml, "exclusive", -1));
        Assert.Null(ElidedOrNull(xml, "exclusive", -1, N, out _));
    }

    [Fact]
    public void A_changed_byte_inside_an_elided_run_changes_the_output()
    {
        var run = Run(5 * N);
        var xml = Encoding.UTF8.GetBytes(Document($"<a>{run}</a>"));
        var original = Elided(xml, "exclusive", -1, N, out var runs);
        Assert.Equal(1, runs);
        foreach (var at in new[] { 0, 1, N - 1, N, 3 * N, run.Length - 2, run.Length - 1 })
        {
            var changed = Encoding.UTF8.GetBytes(Document($"<a>{run[..at]}{(run[at] == 'x' ? 'y' : 'x')}{run[(at + 1)..]}</a>"));
            var elided = Elided(changed, "exclusive", -1, N, out _);
            Assert.NotEqual(original, elided);
            Assert.Equal(Transformed(changed, "exclusive", -1), elided);
        }
    }

    private static void AllAgree(string name, byte[] xml, int expectedRuns)
    {
        var elements = Load(xml).SelectNodes("//*")!.Count;
        foreach (var mode in new[] { "exclusive", "exclusive-prefixes", "inclusive" })
        {
            foreach (var omit in new long[] { -1, 2, 4, elements - 1 }.Distinct())
            {
                var expected = Transformed(xml, mode, omit);
                var plain = Streamed(xml, mode, omit);
                var elided = Elided(xml, mode, omit, N, out var runs);
                Assert.True(expected.AsSpan().SequenceEqual(plain), $"{name}, {mode}, element {omit} left out: the plain path differs from SignedXml");
                if (!expected.AsSpan().SequenceEqual(elided))
                {
                    var at = expected.AsSpan().CommonPrefixLength(elided);
                    Assert.Fail($"{name}, {mode}, element {omit} left out: the elided output differs at byte {at}");
                }

                Assert.Equal(expectedRuns, runs);
            }
        }
    }
}
