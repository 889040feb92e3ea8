using System.Security.Cryptography;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Tests.Reading;
using Lgsp.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace Lgsp.Edxml.Tests.Pdf;

/// <summary>
/// Mutation fuzzing of the PDF signature scanner and inspector over the test corpus's documents
/// (<see cref="PdfCorpus.Documents"/>: generated, hand-written and the SDK's PDF), damaged byte by byte
/// and where the structure and the signatures hang (docs/security.md, "Fuzzing").
/// </summary>
public sealed class PdfSignatureInspectorFuzzTests(ITestOutputHelper output)
{
    private static readonly FuzzBounds Bounds = new(TimeSpan.FromSeconds(10), BytesPerInputByte: 24, FixedBytes: 8L * 1024 * 1024);

    [Fact]
    public void Mutated_pdfs_are_inspected_with_catalogued_findings_within_bounds_and_an_intact_signature_covers_signed_bytes()
    {
        var corpus = PdfCorpus.Documents.Select(d => d.Pdf).ToList();
        var inspector = new PdfSignatureInspector();
        var signedRanges = corpus.SelectMany(pdf => IntactRanges(pdf, inspector.Inspect(pdf))).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(signedRanges);

        var report = FuzzCampaign.Run("PDF inspector", 0x5EED0005, corpus, new Mutator(ByteMutations.All, PdfStructureMutations.All), Bounds, mutant =>
        {
            var pdf = mutant.Bytes;
            var result = mutant.Source % 4 == 0 ? inspector.Inspect(new MemoryStream(pdf, writable: false)) : inspector.Inspect(pdf);
            foreach (var finding in result.AllErrors)
            {
                PackageReaderFuzzTests.Catalogued(finding);
            }

            foreach (var signature in result.Signatures)
            {
                // Intact means the CMS verifies over the stated byte range: those bytes were signed by someone,
                // so they are one of the corpus's signed ranges.
                if (signature.IsIntact)
                {
                    Assert.Contains(RangeDigest(pdf, signature.ByteRange), signedRanges);
                }

                if (signature.CoversWholeFile)
                {
                    Assert.Equal(pdf.Length, signature.ByteRange[2] + signature.ByteRange[3]);
                }
            }

            return result.Signatures.Any(s => s.IsIntact) ? "an intact signature"
                : result.AllErrors.FirstOrDefault(e => e.IsError)?.Code ?? FuzzCampaign.Accepted;
        });

        output.WriteLine(report.ToString());
        Assert.True(report.Outcomes.ContainsKey("an intact signature"), "some mutants keep an intact signature, so the invariant was exercised");
    }

    private static IEnumerable<string> IntactRanges(byte[] pdf, PdfInspection inspection) =>
        inspection.Signatures.Where(s => s.IsIntact).Select(s => RangeDigest(pdf, s.ByteRange));

    private static string RangeDigest(byte[] pdf, IReadOnlyList<long> range)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i + 1 < range.Count; i += 2)
        {
            sha.AppendData(pdf, checked((int)range[i]), checked((int)range[i + 1]));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
