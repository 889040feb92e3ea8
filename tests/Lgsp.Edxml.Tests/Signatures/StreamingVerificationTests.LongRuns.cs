using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Signatures.Canonical;
using Lgsp.Edxml.Spooling;
using Lgsp.Edxml.Tests.Signatures.Canonical;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Xml;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

// Packages with long base64 runs, which the digest pass elides (LongRunElidingStream): the verdict must
// be SignedXml's and xmlsec1's, for the package as signed and with a byte changed inside a run.
public sealed partial class StreamingVerificationTests
{
    private const int MinRun = LongRunElidingStream.DefaultMinRun;

    private static readonly string LongRun = ElidingCanonicalizationTests.Run((3 * MinRun) + 5);

    // Runs as the attachment would be, after a reference, in CDATA, in a comment and in an attribute value.
    private static string WithLongRuns(string document, string run) => WithoutCrReferences(document).Replace(
        "<ws>   </ws>",
        $"<ws>   </ws><att>{run}</att><two>{run}&amp;{run}</two><cd><![CDATA[{run}]]></cd><!--{run}--><at v=\"{run}\"/>",
        StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(SigningNames))]
    public void A_package_with_long_base64_runs_verifies_streamed_with_SignedXmls_digest_and_with_xmlsec1(string signing)
    {
        var signer = Signer(Signings[signing].Key);
        var package = Sign(WithLongRuns(C14NFeatures.Kitchen, LongRun), Signings[signing], signer);

        var verdict = Verifier().VerifyStreaming(package, null);

        Assert.NotNull(verdict);
        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors.Select(e => e.Message)));
        Assert.Equal(SignedXmlDigest(package), StreamedDigest(package, Signings[signing]));
        Assert.True(SignedXmlAccepts(package, signer));
        Assert.True(XmlSec1Accepts(package));
    }

    [Fact]
    public void A_changed_byte_inside_a_long_run_is_refused_streamed_by_SignedXml_and_by_xmlsec1()
    {
        var signing = Signings["exclusive, RSA"];
        var signer = Signer(signing.Key);
        var text = SignedText(WithLongRuns(C14NFeatures.Kitchen, LongRun), signing, signer);
        var runs = AllIndexesOf(text, LongRun);
        Assert.Equal(6, runs.Count); // att, two (twice), cd, the comment, the attribute value

        // In each run that C14N renders (not the comment's), its first, a middle and its last byte.
        foreach (var start in runs.Take(4).Append(runs[5]))
        {
            foreach (var at in new[] { start, start + MinRun, start + LongRun.Length - 1 })
            {
                var changed = Bytes(text[..at] + (text[at] == 'q' ? 'r' : 'q') + text[(at + 1)..]);
                var verdict = Verifier().VerifyStreaming(changed, null);

                Assert.NotNull(verdict);
                Assert.False(verdict.IsValid, $"a byte changed at {at} verified streamed");
                Assert.Contains(verdict.Errors, e => e.Code == ErrorCode.SignatureDigestMismatch);
                Assert.False(SignedXmlAccepts(changed, signer), $"a byte changed at {at} verified with SignedXml");
            }
        }

        var last = Bytes(text[..(runs[1] + 10)] + "Z" + text[(runs[1] + 11)..]);
        Assert.False(XmlSec1Accepts(last));
        var inComment = Bytes(text[..(runs[4] + 10)] + "Z" + text[(runs[4] + 11)..]);
        Assert.True(Verifier().Verify(inComment).IsTrusted); // comments are not signed: the three agree
        Assert.True(SignedXmlAccepts(inComment, signer));
        Assert.True(XmlSec1Accepts(inComment));
    }

    [Fact]
    public void A_package_holding_placeholder_characters_verifies_on_the_plain_path_as_with_SignedXml_and_xmlsec1()
    {
        var signing = Signings["exclusive, RSA"];
        var signer = Signer(signing.Key);
        var package = Sign(WithLongRuns(C14NFeatures.Kitchen, LongRun).Replace("<ws>", "<pua>\uE0000\uE001 &#xE000;1&#xE001;</pua><ws>", StringComparison.Ordinal), signing, signer);

        var verdict = Verifier().VerifyStreaming(package, null);

        Assert.NotNull(verdict);
        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors.Select(e => e.Message)));
        Assert.True(SignedXmlAccepts(package, signer));
        Assert.True(XmlSec1Accepts(package));
        var changed = Bytes(Text(package).Replace("\uE0000\uE001", "\uE0001\uE001", StringComparison.Ordinal));
        Assert.Contains(Verifier().VerifyStreaming(changed, null)!.Errors, e => e.Code == ErrorCode.SignatureDigestMismatch);
    }

    [Fact]
    public void A_spooled_package_with_a_long_run_verifies_from_its_file_and_a_changed_byte_in_the_run_is_refused()
    {
        var signing = Signings["exclusive, RSA"];
        var signer = Signer(signing.Key);
        var big = ElidingCanonicalizationTests.Run(3 * 1024 * 1024);
        // The attachment's place only: a tag is limited to 64 KiB, an attribute value of 3 MiB is refused.
        var text = SignedText(WithoutCrReferences(C14NFeatures.Kitchen).Replace("<ws>   </ws>", $"<ws>   </ws><att>{big}</att>", StringComparison.Ordinal), signing, signer);
        var at = text.IndexOf(big, StringComparison.Ordinal) + (2 * 1024 * 1024);
        var dir = Repository.TempFolder();
        try
        {
            foreach (var (package, valid) in new[] { (Bytes(text), true), (Bytes(text[..at] + (text[at] == 'q' ? 'r' : 'q') + text[(at + 1)..]), false) })
            {
                using var spool = PackageSpool.Create(memoryThreshold: 0, directory: dir.FullName);
                spool.Write(package);
                spool.Complete();
                Assert.True(spool.IsOnDisk);
                var canonical = new MemoryStream();
                Assert.True(ElidingCanonicalization.TryWrite(spool.OpenRead, XmlLimits.Default, new CanonicalSink(canonical.Write), true, null, -1, null, out var elided));
                Assert.Equal(1, elided); // the run came back from the file, not through the reader
                Assert.Equal(StreamingCanonicalizerTests.Streamed(package, "exclusive", -1), canonical.ToArray());

                var verdict = Verifier().Verify(spool);

                Assert.Equal(valid, verdict.IsTrusted);
                Assert.Equal(valid, SignedXmlAccepts(package, signer));
                if (!valid)
                {
                    Assert.Contains(verdict.Errors, e => e.Code == ErrorCode.SignatureDigestMismatch);
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static List<int> AllIndexesOf(string text, string value)
    {
        var found = new List<int>();
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            found.Add(at);
        }

        return found;
    }
}
