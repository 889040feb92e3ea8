using System.Globalization;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Pdf.Syntax;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Pdf;

/// <summary>
/// Finds and checks the signatures embedded in a PDF (ISO 32000-1 §12.8): for each signature
/// dictionary, whether its byte range is sane, whether its CMS signature verifies over that range,
/// who signed (subject, organisation or person), when, and (given a trust) whether the signer's
/// certificate chains to a trusted root.
/// </summary>
/// <remarks>
/// <para>Thread safe and reusable: one instance serves every attachment. <see cref="Inspect(Stream)"/>
/// never throws for bad input; what is wrong goes into the result as <see cref="EdxmlError"/>s
/// (<c>PdfMalformed</c>, <c>PdfByteRangeInvalid</c>, <c>PdfSignatureInvalid</c>, <c>TooLarge</c>).</para>
/// <para>Signature dictionaries are found by reading the whole file as a sequence of objects,
/// without trusting its cross-reference tables; stream data is skipped; work is linear in the file
/// size and bounded by <see cref="PdfLimits"/>.</para>
/// <para>Verification: <c>adbe.pkcs7.detached</c> and <c>ETSI.CAdES.detached</c> as detached CMS over
/// the byte range; <c>adbe.pkcs7.sha1</c> (CMS over an encapsulated SHA-1 digest of the byte range,
/// reported with a warning) and <c>ETSI.RFC3161</c> document timestamps (the token's message
/// imprint must match the byte range) are checked too. The digest of the byte range is computed
/// incrementally over the file, so memory is one copy of the file plus the signatures; the CMS
/// signature over the signed attributes is checked with the signer certificate's public key (RSA
/// PKCS#1 v1.5 or PSS, ECDSA; SHA-1/256/384/512).</para>
/// </remarks>
// This file reads the file and checks it as a whole; each signature dictionary is inspected in
// PdfSignatureInspector.Signatures.cs, its CMS verified in PdfSignatureInspector.Verification.cs,
// and what is learned about it is kept in the types of PdfSignatureInspector.Findings.cs.
public sealed partial class PdfSignatureInspector
{
    private const string FileField = "/";
    private const int HeadWindow = 1024;
    private readonly ICertificateTrust? _trust;
    private readonly SignerKindRule _rule;
    private readonly PdfLimits _limits;

    /// <summary>Creates an inspector.</summary>
    /// <param name="trust">Decides chain trust for each signer certificate; null leaves
    /// <see cref="PdfSignature.Chain"/> null.</param>
    /// <param name="rule">Classifies signers; null means <see cref="SignerKindRule.Default"/>.</param>
    /// <param name="limits">Bounds on the work per file; null means <see cref="PdfLimits.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive, or
    /// <see cref="PdfLimits.MaxBytes"/> exceeds <see cref="Array.MaxLength"/>.</exception>
    public PdfSignatureInspector(ICertificateTrust? trust = null, SignerKindRule? rule = null, PdfLimits? limits = null)
    {
        _trust = trust;
        _rule = rule ?? SignerKindRule.Default;
        _limits = limits ?? PdfLimits.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(_limits.MaxBytes, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_limits.MaxBytes, Array.MaxLength, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(_limits.MaxSignatures, 1, nameof(limits));
    }

    /// <summary>True when <c>%PDF-</c> occurs within the first 1024 bytes of <paramref name="head"/>
    /// (readers accept junk before the header, ISO 32000-1 Annex H.3 note).</summary>
    public static bool LooksLikePdf(ReadOnlySpan<byte> head) =>
        head[..Math.Min(head.Length, HeadWindow)].IndexOf("%PDF-"u8) >= 0;

    /// <summary>Inspects the PDF read from <paramref name="pdf"/> (seekable or not) from its current
    /// position to its end. The stream is read once and not closed.</summary>
    /// <param name="pdf">The PDF bytes.</param>
    /// <returns>The signatures found and every finding.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pdf"/> is null.</exception>
    /// <exception cref="IOException">Reading the stream failed (the input itself is never a reason to throw).</exception>
    public PdfInspection Inspect(Stream pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var (buffer, length, tooLarge) = ReadBounded(pdf);
        if (tooLarge)
        {
            return new PdfInspection(
                LooksLikePdf(buffer.AsSpan(0, length)), [],
                [EdxmlError.Create(ErrorCode.TooLarge, FileField, "The PDF", Bytes(_limits.MaxBytes))]);
        }

        return Inspect(buffer.AsMemory(0, length));
    }

    /// <summary>Inspects a PDF already in memory (no copy is made).</summary>
    /// <param name="pdf">The PDF bytes.</param>
    /// <returns>The signatures found and every finding.</returns>
    public PdfInspection Inspect(ReadOnlyMemory<byte> pdf)
    {
        var file = pdf.Span;
        if (pdf.Length > _limits.MaxBytes)
        {
            return new PdfInspection(LooksLikePdf(file), [], [EdxmlError.Create(ErrorCode.TooLarge, FileField, "The PDF", Bytes(_limits.MaxBytes))]);
        }

        if (!LooksLikePdf(file))
        {
            return new PdfInspection(false, [], [EdxmlError.Create(ErrorCode.PdfMalformed, FileField, "there is no %PDF- header in the first 1024 bytes")]);
        }

        var errors = new List<EdxmlError>();
        if (TruncationProblem(file) is { } truncation)
        {
            errors.Add(EdxmlError.Create(ErrorCode.PdfMalformed, FileField, truncation));
        }

        var scan = PdfSignatureScanner.Scan(pdf, _limits.MaxSignatures);
        if (scan.TooManySignatures)
        {
            errors.Add(EdxmlError.Create(ErrorCode.TooLarge, FileField, "The number of PDF signatures", _limits.MaxSignatures.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var offset in scan.UnreadableSignatureOffsets)
        {
            errors.Add(EdxmlError.Create(ErrorCode.PdfMalformed, FileField,
                string.Create(CultureInfo.InvariantCulture, $"the signature dictionary with the /ByteRange at offset {offset} cannot be read")));
        }

        var found = scan.Signatures.Select((hit, i) => InspectSignature(pdf, hit, i + 1)).ToList();
        WarnAboutUnsignedTail(found, pdf.Length);
        var signatures = found.Select(f => f.ToSignature()).ToList();
        return new PdfInspection(true, signatures, errors);
    }

    /// <summary>Readers look for <c>%%EOF</c> in the last kilobyte and tolerate junk after it, but an
    /// object header after the last <c>%%EOF</c> is an incremental update cut short.</summary>
    private static string? TruncationProblem(ReadOnlySpan<byte> file)
    {
        var tailStart = Math.Max(0, file.Length - HeadWindow);
        var eof = file[tailStart..].LastIndexOf("%%EOF"u8);
        if (eof < 0)
        {
            return "there is no %%EOF marker at the end: the file is truncated or damaged";
        }

        var tail = new PdfParser(file[(tailStart + eof + 5)..].ToArray());
        PdfToken previous1 = default, previous2 = default;
        for (var t = tail.Next(); t.Kind != PdfTokenKind.EndOfInput; t = tail.Next())
        {
            if (tail.IsKeyword(t, "obj") && previous1.Kind == PdfTokenKind.Integer && previous2.Kind == PdfTokenKind.Integer)
            {
                return "objects follow the last %%EOF marker: an incremental update is cut short (the file is truncated)";
            }

            (previous2, previous1) = (previous1, t);
        }

        return null;
    }

    /// <summary>Warns on the signature that ends last when bytes follow it: they are signed by nobody.</summary>
    private static void WarnAboutUnsignedTail(List<SignatureFindings> found, int fileLength)
    {
        var last = found.Where(f => f.ByteRange.Count == 4 && !f.Errors.Any(e => e.Code == ErrorCode.PdfByteRangeInvalid))
            .MaxBy(f => f.ByteRange[2] + f.ByteRange[3]);
        if (last is not null && !last.CoversWholeFile)
        {
            var unsigned = fileLength - (last.ByteRange[2] + last.ByteRange[3]);
            last.Errors.Add(EdxmlError.Warn(ErrorCode.PdfByteRangeInvalid, FieldPathOf(last.Index) + "/ByteRange",
                string.Create(CultureInfo.InvariantCulture, $"{unsigned} byte(s) were appended after the last signature and are not signed")));
        }
    }

    private (byte[] Buffer, int Length, bool TooLarge) ReadBounded(Stream stream)
    {
        var max = _limits.MaxBytes;
        if (stream.CanSeek)
        {
            var remaining = Math.Max(0, stream.Length - stream.Position);
            if (remaining > max)
            {
                var head = new byte[HeadWindow];
                return (head, stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false), true);
            }

            var buffer = new byte[remaining];
            return (buffer, stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false), false);
        }

        var memory = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (memory.Length + read > max)
            {
                return (memory.GetBuffer(), (int)memory.Length, true);
            }

            memory.Write(chunk, 0, read);
        }

        return (memory.GetBuffer(), (int)memory.Length, false);
    }

    private static string FieldPathOf(int index) => $"PdfSignature[{index}]";

    private static string Bytes(long n) => n.ToString(CultureInfo.InvariantCulture) + " bytes";
}
