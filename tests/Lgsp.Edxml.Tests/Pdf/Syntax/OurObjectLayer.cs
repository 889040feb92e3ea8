using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Pdf.Syntax;

namespace Lgsp.Edxml.Tests.Pdf.Syntax;

/// <summary>Reads the signature facts through our own object layer: the scan the inspector runs,
/// and the inspector's own file-level verdict.</summary>
internal static class OurObjectLayer
{
    private static readonly PdfSignatureInspector Inspector = new();

    public static ObjectLayerReading Read(byte[] pdf)
    {
        var failure = Inspector.Inspect(pdf).Errors.FirstOrDefault(e => e.Code == ErrorCode.PdfMalformed);
        var scan = PdfSignatureScanner.Scan(pdf, PdfLimits.Default.MaxSignatures);
        return new ObjectLayerReading(failure?.Message, scan.Signatures.Select(Facts).ToList());
    }

    private static SignatureFacts Facts(SignatureDictionaryHit hit)
    {
        var d = hit.Dictionary;
        var byteRange = ByteRange(d.Get("ByteRange"));
        var contents = d.Get("Contents") as PdfString;
        var gap = SignatureFacts.GapOf(byteRange);
        var gapIsContents = contents is { IsHex: true } && gap is { } g && contents.Start == g.Start && contents.End == g.End;
        return new SignatureFacts(hit.FieldName, d.GetName("SubFilter"), byteRange, Contents(contents), gapIsContents,
            d.Get<PdfString>("M")?.DecodeText());
    }

    private static string ByteRange(PdfObject? value)
    {
        if (value is not PdfArray array)
        {
            return SignatureFacts.NotAnArray;
        }

        var numbers = new List<long>();
        foreach (var item in array.Items)
        {
            if (item is not PdfNumber n || !n.TryGetInt64(out var v))
            {
                return SignatureFacts.NotIntegers;
            }

            numbers.Add(v);
        }

        return SignatureFacts.ByteRangeOf(numbers);
    }

    private static string Contents(PdfString? contents)
    {
        if (contents is null)
        {
            return SignatureFacts.NoContents;
        }

        if (!contents.IsHex)
        {
            return SignatureFacts.LiteralContents;
        }

        var digits = contents.Raw.Span[1..^1];
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit((char)c) && !PdfLexer.IsWhitespace(c))
            {
                return SignatureFacts.NotHexDigits;
            }
        }

        return SignatureFacts.ContentsOf(PdfString.DecodeHex(digits));
    }
}
