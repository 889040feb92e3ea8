using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Pdf;

namespace Lgsp.Edxml.Tests.Pdf;

/// <summary>Bad and hostile input: always a result, never an exception, bounded work.</summary>
public class PdfSignatureInspectorHostileInputTests
{
    private static readonly PdfSignatureInspector Inspector = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_bytes_are_not_a_pdf(int seed)
    {
        var garbage = new byte[200_000];
        new Random(seed).NextBytes(garbage);

        var result = Inspector.Inspect(new MemoryStream(garbage));

        Assert.False(result.IsPdf);
        Assert.Empty(result.Signatures);
        Assert.Contains(result.Errors, e => e.Code == ErrorCode.PdfMalformed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_bytes_behind_a_pdf_header_are_malformed(int seed)
    {
        var garbage = new byte[500_000];
        new Random(seed).NextBytes(garbage);
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(garbage, 0);

        var result = Inspector.Inspect(garbage);

        Assert.True(result.IsPdf);
        Assert.Contains(result.Errors, e => e.Code == ErrorCode.PdfMalformed);
    }

    public static TheoryData<string, int> Cuts => new()
    {
        { "header only", 9 },
        { "inside the first revision's objects", 400 },
        { "inside the seal's /Contents", 3000 },
        { "just after the seal's revision", -1 },
        { "inside the official's /Contents", -2 },
        { "before the last %%EOF", -3 },
    };

    [Theory]
    [MemberData(nameof(Cuts))]
    public void A_truncated_signed_pdf_is_malformed(string description, int cut)
    {
        var pdf = PdfSamples.TwiceSignedPdf;
        var length = cut switch
        {
            -1 => PdfSamples.SealedPdf.Length + 40,
            -2 => (int)Inspector.Inspect(pdf).Signatures[1].ByteRange[1] + 500,
            -3 => PdfSamples.LastIndexOf(pdf, "%%EOF") + 2,
            _ => cut,
        };

        var result = Inspector.Inspect(pdf.AsMemory(0, length));

        Assert.True(result.Errors.Any(e => e.Code == ErrorCode.PdfMalformed), description);
        Assert.DoesNotContain(result.Signatures, s => s.CoversWholeFile && s.IsIntact && s.Index == 2);
    }

    [Fact]
    public void Truncating_inside_a_signature_dictionary_reports_it_as_unreadable()
    {
        var personal = Inspector.Inspect(PdfSamples.TwiceSignedPdf).Signatures[1];
        var truncated = PdfSamples.TwiceSignedPdf.AsMemory(0, (int)personal.ByteRange[1] + 500);

        var result = Inspector.Inspect(truncated);

        // The seal (complete in the first revision) is still found and intact.
        var seal = Assert.Single(result.Signatures);
        Assert.True(seal.IsIntact);
        Assert.Contains(result.Errors, e => e.Code == ErrorCode.PdfMalformed && e.Message.Contains("/ByteRange at offset", StringComparison.Ordinal));
    }

    public static TheoryData<string, byte[]> Hostile => new()
    {
        { "deeply nested arrays", Pdf(Repeat("[", 1_000_000)) },
        { "deeply nested dictionaries", Pdf(Repeat("<<", 1_000_000)) },
        { "unterminated literal strings", Pdf(Repeat("(", 1_000_000)) },
        { "unterminated hex string", Pdf("<" + Repeat("0", 1_000_000)) },
        { "stray closers", Pdf(Repeat(">)]}", 300_000)) },
        { "huge flat array", Pdf("1 0 obj [" + Repeat("1 ", 1_000_000) + "] endobj") },
        { "reference-like numbers", Pdf(Repeat("1 0 ", 500_000)) },
        { "streams without end", Pdf(Repeat("1 0 obj <</Length 99999999>> stream\n", 50_000)) },
        { "loose /ByteRange keys", Pdf(Repeat("/ByteRange [0 1 2 3] /Contents <00> ", 50_000)) },
        { "/ByteRange keys inside streams", Pdf(Repeat("1 0 obj <</Length 30>> stream\n/ByteRange [0 1 2 3] /Contents\nendstream endobj\n", 20_000)) },
        { "self-referencing field parents", Pdf(Repeat("1 0 obj <</T (a) /Parent 1 0 R /V 2 0 R>> endobj 2 0 obj <</ByteRange [0 1 2 3] /Contents <00>>> endobj\n", 100)) },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_input_yields_a_result_without_throwing(string description, byte[] input)
    {
        var result = Inspector.Inspect(new MemoryStream(input));

        Assert.True(result.IsPdf, description);
        Assert.True(result.Signatures.Count <= PdfLimits.Default.MaxSignatures);
        Assert.All(result.Signatures, s => Assert.False(s.IsIntact));
    }

    [Fact]
    public void More_signature_dictionaries_than_the_limit_are_reported_and_not_inspected()
    {
        var input = Pdf(Repeat("<</Type /Sig /ByteRange [0 1 2 3] /Contents <00>>>\n", 1000));

        var result = new PdfSignatureInspector(limits: new PdfLimits { MaxSignatures = 10 }).Inspect(input);

        Assert.Equal(10, result.Signatures.Count);
        Assert.Contains(result.Errors, e => e.Code == ErrorCode.TooLarge);
    }

    [Fact]
    public void A_pdf_larger_than_the_limit_is_refused_whatever_the_stream()
    {
        var inspector = new PdfSignatureInspector(limits: new PdfLimits { MaxBytes = 4096 });

        foreach (var stream in new Stream[] { new MemoryStream(PdfSamples.SealedPdf), new ForwardOnlyStream(PdfSamples.SealedPdf) })
        {
            var result = inspector.Inspect(stream);

            Assert.True(result.IsPdf);
            Assert.Empty(result.Signatures);
            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorCode.TooLarge, error.Code);
        }
    }

    [Fact]
    public void Invalid_limits_are_refused_when_the_inspector_is_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PdfSignatureInspector(limits: new PdfLimits { MaxBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PdfSignatureInspector(limits: new PdfLimits { MaxSignatures = 0 }));
    }

    [Fact]
    public void An_empty_stream_is_not_a_pdf()
    {
        var result = Inspector.Inspect(Stream.Null);

        Assert.False(result.IsPdf);
        Assert.Contains(result.Errors, e => e.Code == ErrorCode.PdfMalformed);
    }

    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();

    private static byte[] Pdf(string body) => Encoding.Latin1.GetBytes("%PDF-1.7\n" + body + "\n%%EOF\n");
}
