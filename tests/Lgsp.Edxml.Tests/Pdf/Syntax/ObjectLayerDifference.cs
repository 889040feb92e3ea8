namespace Lgsp.Edxml.Tests.Pdf.Syntax;

/// <summary>
/// How our object layer's reading of a file differs from PdfPig's, by cause. Every kind but
/// <see cref="Unexplained"/> was traced to its cause on the corpus (docs/adr/0007-pdf-object-layer.md).
/// </summary>
public enum ObjectLayerDifference
{
    /// <summary>Same signatures with the same facts, and the same verdict on whether the file is malformed.</summary>
    None,

    /// <summary>PdfPig opens a PDF as a document: without a readable trailer, catalog and page tree,
    /// or with an encryption dictionary it cannot read, it refuses the whole file. Our scan reads the
    /// objects regardless, and finds signatures in it.</summary>
    PdfPigRefusesASignedFile,

    /// <summary>As <see cref="PdfPigRefusesASignedFile"/>, for a file in which our scan finds no signature.</summary>
    PdfPigRefusesAFileWithoutSignatures,

    /// <summary>Our scan finds fewer signatures and reports nothing: a stream whose <c>endstream</c> is
    /// damaged runs to the next <c>endstream</c> or the end of the file, and the signature dictionaries
    /// after it are taken for stream data. PdfPig finds them through the cross-reference table.</summary>
    OurScanTakesSignaturesForStreamData,

    /// <summary>Our scan finds fewer signatures and reports the <c>/ByteRange</c> it cannot read: a
    /// stray character or a broken token inside a signature dictionary. PdfPig's lenient tokenizer
    /// skips the damage and reads the dictionary.</summary>
    PdfPigReadsADictionaryOurParserRefuses,

    /// <summary>PdfPig finds fewer signatures: it reads the objects the cross-reference data points
    /// at, so damaged cross-reference data or a cut newest revision loses a signature dictionary (or
    /// all of them, when it rebuilds the file from the oldest revision). Our scan reads every object.</summary>
    PdfPigLosesASignature,

    /// <summary>A character that is not a hex digit inside <c>/Contents</c>: our parser keeps the
    /// string and the inspector reports it; PdfPig's tokenizer gives up on the string and drops it
    /// (with the keys after it, such as <c>/M</c>).</summary>
    NonHexDigitInContents,

    /// <summary>Our parser cannot read a field dictionary (a stray character in it), so the signature
    /// it points at has no field name; PdfPig's lenient tokenizer reads the field.</summary>
    OurParserLosesAFieldName,

    /// <summary>PdfPig cannot read a field dictionary (its cross-reference entry or <c>endobj</c> is
    /// damaged), so the signature it points at has no field name; our scan reads the field.</summary>
    PdfPigLosesAFieldName,

    /// <summary>A text string (a field name, <c>/M</c>) decodes differently, nothing else: an end of
    /// line inside a literal string is a line feed by ISO 32000-1 §7.3.4.2 (ours) where PdfPig keeps
    /// the carriage return; bytes 0x18–0x1F and 0x7F–0xA0 are PDFDocEncoding glyphs (PdfPig) where our
    /// parser reads them as Latin-1 control characters.</summary>
    TextDecodesDifferently,

    /// <summary>The same signatures; our inspector calls the file malformed (truncated, or a damaged
    /// signature dictionary elsewhere) and PdfPig repairs it silently.</summary>
    OurInspectorReportsDamagePdfPigRepairs,

    /// <summary>The same signatures; PdfPig fails to read some object that holds no signature, which
    /// our inspector has no reason to read.</summary>
    PdfPigFailsAnObjectWithoutSignature,

    /// <summary>Any other difference: a new cause to trace before the corpus can pass.</summary>
    Unexplained,
}

/// <summary>Tells which <see cref="ObjectLayerDifference"/> separates two readings of one file.</summary>
internal static class ObjectLayerComparison
{
    public static ObjectLayerDifference Classify(ObjectLayerReading ours, ObjectLayerReading pdfPig)
    {
        if (ours.SameAs(pdfPig))
        {
            return ObjectLayerDifference.None;
        }

        if (pdfPig.Refused)
        {
            return ours.Signatures.Count > 0
                ? ObjectLayerDifference.PdfPigRefusesASignedFile
                : ObjectLayerDifference.PdfPigRefusesAFileWithoutSignatures;
        }

        if (ours.Signatures.Count != pdfPig.Signatures.Count)
        {
            return ours.Signatures.Count > pdfPig.Signatures.Count ? ObjectLayerDifference.PdfPigLosesASignature
                : ours.IsMalformed ? ObjectLayerDifference.PdfPigReadsADictionaryOurParserRefuses
                : ObjectLayerDifference.OurScanTakesSignaturesForStreamData;
        }

        var differing = ours.Signatures.Zip(pdfPig.Signatures).FirstOrDefault(pair => pair.First != pair.Second);
        if (differing != default)
        {
            return Classify(differing.First, differing.Second);
        }

        return ours.IsMalformed
            ? ObjectLayerDifference.OurInspectorReportsDamagePdfPigRepairs
            : ObjectLayerDifference.PdfPigFailsAnObjectWithoutSignature;
    }

    private static ObjectLayerDifference Classify(SignatureFacts ours, SignatureFacts pdfPig)
    {
        if (ours with { FieldName = pdfPig.FieldName } == pdfPig && (ours.FieldName is null || pdfPig.FieldName is null))
        {
            return ours.FieldName is null ? ObjectLayerDifference.OurParserLosesAFieldName : ObjectLayerDifference.PdfPigLosesAFieldName;
        }

        if (ours with { FieldName = pdfPig.FieldName, SigningTime = pdfPig.SigningTime } == pdfPig
            && SameText(ours.FieldName, pdfPig.FieldName) && SameText(ours.SigningTime, pdfPig.SigningTime))
        {
            return ObjectLayerDifference.TextDecodesDifferently;
        }

        var sameButContents = ours with { Contents = pdfPig.Contents, GapIsContents = pdfPig.GapIsContents, SigningTime = pdfPig.SigningTime } == pdfPig;
        return sameButContents && ours.Contents == SignatureFacts.NotHexDigits && pdfPig.Contents == SignatureFacts.NoContents
            ? ObjectLayerDifference.NonHexDigitInContents
            : ObjectLayerDifference.Unexplained;
    }

    /// <summary>Equal but for the two decoding rules <see cref="ObjectLayerDifference.TextDecodesDifferently"/> names.</summary>
    private static bool SameText(string? ours, string? pdfPig)
    {
        if (ours is null || pdfPig is null)
        {
            return ours == pdfPig;
        }

        pdfPig = pdfPig.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return ours.Length == pdfPig.Length
            && ours.Zip(pdfPig).All(pair => pair.First == pair.Second || pair.First is (>= '\u0018' and <= '\u001F') or (>= '\u007F' and <= '\u00A0'));
    }
}
