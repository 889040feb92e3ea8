using Xunit.Abstractions;
using static Lgsp.Edxml.Tests.Pdf.Syntax.ObjectLayerDifference;

namespace Lgsp.Edxml.Tests.Pdf.Syntax;

/// <summary>
/// The differential test of the PDF object layer (docs/adr/0007-pdf-object-layer.md): every PDF of
/// the test corpus, and deterministic mutants of its documents, read through our parser and through
/// PdfPig with the inspector's rules on both sides. Where the two differ, the cause must be one that
/// was traced; for the corpus files and the real-world SDK PDF, exactly the recorded one. The
/// generated documents change a little from run to run (fresh keys, ECDSA signature lengths, signing
/// times), so their mutants are held to traced causes rather than to counts.
/// </summary>
public class PdfObjectLayerDifferentialTests(ITestOutputHelper output)
{
    private const int MutantsPerGeneratedDocument = 150;
    private const int SdkMutants = 300;
    private const int SdkSeed = 2018;

    /// <summary>How PdfPig's reading of each corpus document differs from ours.</summary>
    public static TheoryData<string, ObjectLayerDifference> Documents => new()
    {
        { "unsigned", None },
        { "sealed", None },
        { "twice signed", None },
        { "hand-written, twice signed", None },
        { "twice signed, default field names", None },
        { "twice signed, then a document timestamp", None },
        { "adbe.pkcs7.sha1", None },
        { "sealed, then an unsupported sub-filter", None },
        { "detached signature encapsulating content", None },
        { "CMS with two signers", None },
        { "direct AcroForm, indirect /Annots", None },
        { "hybrid reference", None },
        { "SDK sample PDF 1", None },
        // Fragments written to exercise the scanner: no page tree, no trailer, or nothing to decrypt with.
        { "cross-reference stream", PdfPigRefusesAFileWithoutSignatures },
        { "encryption dictionary", PdfPigRefusesAFileWithoutSignatures },
        { "signature look-alikes in streams", PdfPigRefusesAFileWithoutSignatures },
        { "header and end marker only", PdfPigRefusesAFileWithoutSignatures },
        { "field under a parent", PdfPigRefusesASignedFile },
        { "signature held by its field", PdfPigRefusesASignedFile },
        { "signature without a field", PdfPigRefusesASignedFile },
        { "signature redefined, no cross-reference table", PdfPigRefusesASignedFile },
        { "comments and whitespace, no cross-reference table", PdfPigRefusesASignedFile },
    };

    /// <summary>How PdfPig's reading of each damaged or hostile corpus file differs from ours.</summary>
    public static TheoryData<string, ObjectLayerDifference> DamagedAndHostile => new()
    {
        { "damaged signature dictionary", None },
        { "flipped: header version digit", None },
        { "flipped: page text", None },
        { "flipped: document information", None },
        { "flipped: first cross-reference table", None },
        { "flipped: seal dictionary /M date", None },
        { "flipped: personal field name", None },
        { "flipped: personal /ByteRange", None },
        { "flipped: last startxref", PdfPigLosesASignature },
        { "flipped: final end of line", None },
        { "byte range beyond the end", None },
        { "byte range not from zero", None },
        { "byte range gap off by one", None },
        { "bytes appended", None },
        { "a letter in /Contents", NonHexDigitInContents },
        { "/M year changed", None },
        { "twice signed, cut after the header", None },
        { "twice signed, cut inside the first revision's objects", None },
        { "twice signed, cut inside the seal's /Contents", OurInspectorReportsDamagePdfPigRepairs },
        { "twice signed, cut just after the seal's revision", OurInspectorReportsDamagePdfPigRepairs },
        { "twice signed, cut before the last %%EOF", OurInspectorReportsDamagePdfPigRepairs },
        { "hostile: deeply nested arrays", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: deeply nested dictionaries", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: unterminated literal strings", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: unterminated hex string", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: stray closers", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: huge flat array", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: reference-like numbers", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: streams without end", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: loose /ByteRange keys", None },
        { "hostile: /ByteRange keys inside streams", PdfPigRefusesAFileWithoutSignatures },
        { "hostile: self-referencing field parents", PdfPigRefusesASignedFile },
        { "random bytes behind a header, seed 1", None },
        { "random bytes behind a header, seed 2", None },
    };

    /// <summary>How the <see cref="SdkMutants"/> mutants of the SDK's signed PDF split by difference.</summary>
    private static readonly Dictionary<ObjectLayerDifference, int> RecordedSdkMutants = new()
    {
        [None] = 273,
        [PdfPigRefusesASignedFile] = 2,
        [PdfPigLosesASignature] = 9,
        [NonHexDigitInContents] = 4,
        [OurInspectorReportsDamagePdfPigRepairs] = 6,
        [PdfPigFailsAnObjectWithoutSignature] = 6,
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Each_corpus_document_reads_through_PdfPig_as_recorded(string document, ObjectLayerDifference recorded) =>
        AssertReadsAsRecorded(PdfCorpus.Documents, document, recorded);

    [Theory]
    [MemberData(nameof(DamagedAndHostile))]
    public void Each_damaged_or_hostile_corpus_file_reads_through_PdfPig_as_recorded(string file, ObjectLayerDifference recorded) =>
        AssertReadsAsRecorded(PdfCorpus.DamagedAndHostile, file, recorded);

    [Fact]
    public void The_recorded_differences_name_every_file_of_the_corpus()
    {
        Assert.Equal(PdfCorpus.Documents.Select(d => d.Name).Order(), Documents.Select(row => (string)row[0]).Order());
        Assert.Equal(PdfCorpus.DamagedAndHostile.Select(d => d.Name).Order(), DamagedAndHostile.Select(row => (string)row[0]).Order());
    }

    [Fact]
    public void Mutants_of_the_real_world_sdk_pdf_differ_between_the_parsers_exactly_as_recorded()
    {
        var sdkPdf = Assert.Single(PdfCorpus.SdkSamplePdfs());

        var differences = Differences(PdfMutations.Of(sdkPdf, SdkMutants, SdkSeed));

        Assert.Equal(RecordedSdkMutants.OrderBy(k => k.Key), Tally(differences).OrderBy(k => k.Key));
    }

    [Fact]
    public void Every_difference_on_mutants_of_the_generated_documents_has_a_traced_cause()
    {
        var agreeing = Documents.Where(row => (ObjectLayerDifference)row[1] == None && !((string)row[0]).StartsWith("SDK", StringComparison.Ordinal))
            .Select(row => (string)row[0]).ToHashSet();
        var mutants = PdfCorpus.Documents.Where(d => agreeing.Contains(d.Name))
            .SelectMany(d => PdfMutations.Of(d.Pdf, MutantsPerGeneratedDocument, StableSeed(d.Name)).Select(m => (d.Name + ": " + m.Name, m.Pdf)));

        var differences = Differences(mutants);

        Assert.Equal(agreeing.Count * MutantsPerGeneratedDocument, differences.Count);
        var unexplained = differences.Where(d => d.Difference == Unexplained).Select(d => d.Description).Take(5).ToList();
        Assert.True(unexplained.Count == 0, "Differences with no traced cause:\n" + string.Join("\n", unexplained));
    }

    private void AssertReadsAsRecorded(IReadOnlyList<(string Name, byte[] Pdf)> corpus, string name, ObjectLayerDifference recorded)
    {
        var pdf = corpus.Single(d => d.Name == name).Pdf;
        var (ours, pdfPig) = (OurObjectLayer.Read(pdf), PdfPigObjectLayer.Read(pdf));

        var difference = ObjectLayerComparison.Classify(ours, pdfPig);

        Assert.True(difference == recorded, $"{name}: {difference}, recorded {recorded}\n ours:   {ours}\n PdfPig: {pdfPig}");
    }

    private List<(ObjectLayerDifference Difference, string Description)> Differences(IEnumerable<(string Name, byte[] Pdf)> files)
    {
        var differences = files.AsParallel().AsOrdered().Select(file =>
        {
            var (ours, pdfPig) = (OurObjectLayer.Read(file.Pdf), PdfPigObjectLayer.Read(file.Pdf));
            return (ObjectLayerComparison.Classify(ours, pdfPig), $"{file.Name}\n ours:   {ours}\n PdfPig: {pdfPig}");
        }).ToList();
        foreach (var (difference, count) in Tally(differences).OrderBy(k => k.Key))
        {
            output.WriteLine($"{difference}: {count}");
        }

        return differences;
    }

    private static Dictionary<ObjectLayerDifference, int> Tally(List<(ObjectLayerDifference Difference, string Description)> differences) =>
        differences.GroupBy(d => d.Difference).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A seed from the document's name (string hash codes change from process to process).</summary>
    private static int StableSeed(string name) => name.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
