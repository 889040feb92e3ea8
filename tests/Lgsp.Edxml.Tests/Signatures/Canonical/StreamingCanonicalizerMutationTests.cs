using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Tests.Support;
using Lgsp.TestSupport.Fuzzing;
using static Lgsp.Edxml.Tests.Signatures.Canonical.StreamingCanonicalizerTests;

namespace Lgsp.Edxml.Tests.Signatures.Canonical;

/// <summary>The streaming canonicaliser against SignedXml's transforms on the XML mutation corpus: the
/// feature documents and the SDK samples with elements, attributes and namespaces duplicated, renamed,
/// rebound and undeclared, and CDATA, comments, PIs and references injected. Hand-written documents
/// cover what their authors thought of; the mutants cover combinations nobody wrote down.</summary>
public sealed class StreamingCanonicalizerMutationTests
{
    private const ulong Seed = 0x5EED0C14;
    private const int Mutants = 400;

    [Fact]
    public void Every_mutant_the_parser_accepts_canonicalises_byte_for_byte_as_SignedXml_does_and_every_other_is_refused_by_both()
    {
        var corpus = C14NFeatures.Documents.Keys.Where(k => k != "long-text")
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "samples", "vxp-sdk"), "*.edxml").Order().Select(p => "sample:" + Path.GetFileName(p)))
            .Select(StreamingCanonicalizerTests.Xml)
            .ToList();
        var mutator = new Mutator(XmlMutations.All);
        var compared = 0;
        for (long index = 0; index < Mutants; index++)
        {
            var mutant = mutator.Mutate(corpus, FuzzRandom.ForMutant(Seed, index));
            var what = $"mutant {index} (seed {Seed:X}) of corpus input {mutant.Source}, {mutant.Describe()}";
            int elements;
            try
            {
                elements = Load(mutant.Bytes).SelectNodes("//*")!.Count;
            }
            catch (EdxmlFormatException)
            {
                // What the DOM refuses, the streamed reader must refuse too: never a digest of half a document.
                Assert.True(StreamedRefuses(mutant.Bytes), $"{what}: refused by the DOM but canonicalised when streamed");
                Assert.True(ElidedOrNull(mutant.Bytes, "exclusive", -1, 1, out _) is null, $"{what}: refused by the DOM but canonicalised with runs elided");
                continue;
            }

            foreach (var mode in new[] { "exclusive", "exclusive-prefixes", "inclusive" })
            {
                foreach (var omit in new long[] { -1, elements / 2 }.Distinct())
                {
                    var expected = Transformed(mutant.Bytes, mode, omit);
                    var actual = Streamed(mutant.Bytes, mode, omit);
                    if (!expected.AsSpan().SequenceEqual(actual))
                    {
                        var at = expected.AsSpan().CommonPrefixLength(actual);
                        Assert.Fail($"{what}, {mode}, element {omit} left out: the outputs differ at byte {at}:\n" +
                            $"SignedXml: {Excerpt(expected, at)}\nstreamed:  {Excerpt(actual, at)}");
                    }

                    // And with every run of base64 letters elided, however short (a mutation lands in one
                    // or beside one, splits one, or moves one into markup).
                    var elided = Elided(mutant.Bytes, mode, omit, 1, out _);
                    if (!expected.AsSpan().SequenceEqual(elided))
                    {
                        var at = expected.AsSpan().CommonPrefixLength(elided);
                        Assert.Fail($"{what}, {mode}, element {omit} left out, runs elided: the outputs differ at byte {at}:\n" +
                            $"SignedXml: {Excerpt(expected, at)}\nelided:    {Excerpt(elided, at)}");
                    }
                }
            }

            compared++;
        }

        // Most mutants stay well-formed (the mutations mostly move and rename); the comparison must not be vacuous.
        Assert.True(compared >= Mutants / 4, $"only {compared} of {Mutants} mutants were well-formed enough to compare");
    }

    private static bool StreamedRefuses(byte[] xml)
    {
        try
        {
            Streamed(xml, "exclusive", -1);
            return false;
        }
        catch (EdxmlFormatException)
        {
            return true;
        }
    }

    private static string Excerpt(byte[] bytes, int at) =>
        Encoding.UTF8.GetString(bytes, Math.Max(0, at - 60), Math.Min(bytes.Length, at + 60) - Math.Max(0, at - 60)).ReplaceLineEndings("⏎");
}
