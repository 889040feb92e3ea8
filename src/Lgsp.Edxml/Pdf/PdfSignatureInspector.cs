using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Pdf.Cms;
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
public sealed class PdfSignatureInspector
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

    private SignatureFindings InspectSignature(ReadOnlyMemory<byte> pdf, SignatureDictionaryHit hit, int index)
    {
        var file = pdf.Span;
        var field = FieldPathOf(index);
        var d = hit.Dictionary;
        var f = new SignatureFindings(index, hit.FieldName, d.GetName("SubFilter"));

        var ranges = CheckByteRange(d, file.Length, f);
        var der = ReadContents(d, f);
        DateTimeOffset? claimedTime = PdfDate.TryParse(d.Get<PdfString>("M")?.DecodeText(), out var m) ? m : null;
        f.SigningTime = claimedTime;
        if (der is null)
        {
            return f;
        }

        CmsSignedData cms;
        try
        {
            cms = CmsSignedData.Decode(der);
        }
        catch (CmsFormatException e)
        {
            f.Errors.Add(EdxmlError.Create(ErrorCode.PdfSignatureInvalid, field + "/Contents", e.Message));
            return f;
        }

        // ISO 32000-1 §12.8.3.3.1: exactly one SignerInfo. This also bounds the work: each signer
        // would otherwise cost a digest of the whole file.
        if (cms.Signers.Count != 1)
        {
            f.Errors.Add(EdxmlError.Create(ErrorCode.PdfSignatureInvalid, field + "/Contents",
                string.Create(CultureInfo.InvariantCulture, $"the CMS has {cms.Signers.Count} signers; a PDF signature has exactly one")));
            return f;
        }

        var certificate = cms.Signers[0].Certificate;
        f.Certificate = certificate;
        f.SigningTime = cms.Signers[0].SigningTime ?? claimedTime;

        var problem = f.SubFilter switch
        {
            PdfSubFilters.Pkcs7Detached or PdfSubFilters.CadesDetached or null => VerifyDetached(file, ranges, cms),
            PdfSubFilters.Pkcs7Sha1 => VerifySha1(file, ranges, cms, f),
            PdfSubFilters.Rfc3161 => VerifyTimestamp(file, ranges, cms, f),
            _ => $"the sub-filter {f.SubFilter} is not supported",
        };
        // Without a sane byte range (already reported) nothing is verified, so nothing is intact.
        f.IsIntact = ranges is not null && problem is null;
        if (problem is not null)
        {
            f.Errors.Add(EdxmlError.Create(ErrorCode.PdfSignatureInvalid, field, problem));
        }

        if (certificate is null)
        {
            // Verification has reported it (no certificate, no verified signature).
            return f;
        }

        f.Kind = f.SubFilter == PdfSubFilters.Rfc3161 ? SignerKind.Unknown : _rule.Classify(certificate.SubjectName);
        if (_trust is not null)
        {
            f.Chain = CheckChain(certificate, cms.Certificates, f.SigningTime, field, f);
        }

        return f;
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

    private ChainVerdict? CheckChain(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> certificates, DateTimeOffset? time, string field, SignatureFindings f)
    {
        try
        {
            return _trust!.Check(certificate, certificates.Where(c => !ReferenceEquals(c, certificate)).ToList(), time);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // The trust contract says it never throws for a bad certificate; if one does anyway, report it.
            f.Errors.Add(EdxmlError.Create(ErrorCode.CertificateChainInvalid, field, certificate.Subject, e.Message));
            return null;
        }
    }

    /// <summary>Checks §12.8.1: four non-negative integers [0 b c d], the gap [b, c) exactly the
    /// /Contents hex string, everything inside the file. Null (and a finding) when it is not so.</summary>
    private static SignedRanges? CheckByteRange(PdfDictionary d, int fileLength, SignatureFindings f)
    {
        var field = FieldPathOf(f.Index) + "/ByteRange";
        string? problem = null;
        var numbers = new List<long>();
        var array = d.Get("ByteRange") as PdfArray;
        if (array is null)
        {
            problem = "/ByteRange is not an array";
        }
        else
        {
            foreach (var item in array.Items.Take(16))
            {
                if (item is PdfNumber n && n.TryGetInt64(out var v))
                {
                    numbers.Add(v);
                }
                else
                {
                    problem = "/ByteRange holds something other than integers";
                    numbers.Clear();
                    break;
                }
            }
        }

        f.ByteRange = numbers;
        if (problem is null && numbers.Count != 4)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"/ByteRange has {array!.Items.Count} numbers, not 4");
        }

        if (problem is null)
        {
            var (a, b, c, len2) = (numbers[0], numbers[1], numbers[2], numbers[3]);
            var contents = d.Get<PdfString>("Contents");
            if (a < 0 || b < 0 || c < 0 || len2 < 0)
            {
                problem = "/ByteRange holds a negative number";
            }
            else if (a != 0)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"/ByteRange starts at offset {a}, not at the beginning of the file");
            }
            else if (b > fileLength || c > fileLength || len2 > fileLength || c + len2 > fileLength)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"/ByteRange reaches offset {c + len2}, beyond the end of the file ({fileLength} bytes)");
            }
            else if (contents is null || !contents.IsHex || contents.Start != b || contents.End != c)
            {
                problem = contents is null || !contents.IsHex
                    ? "there is no /Contents hex string for the gap to exclude"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"the gap between the ranges ({b}..{c}) is not exactly the /Contents hex string ({contents.Start}..{contents.End})");
            }
            else
            {
                f.CoversWholeFile = c + len2 == fileLength;
                return new SignedRanges((int)b, (int)c, (int)len2);
            }
        }

        f.Errors.Add(EdxmlError.Create(ErrorCode.PdfByteRangeInvalid, field, problem));
        return null;
    }

    /// <summary>The CMS from /Contents: hex decoded, the zero padding after the DER value trimmed.</summary>
    private static byte[]? ReadContents(PdfDictionary d, SignatureFindings f)
    {
        var field = FieldPathOf(f.Index) + "/Contents";
        if (d.Get<PdfString>("Contents") is not { IsHex: true } contents)
        {
            f.Errors.Add(EdxmlError.Create(ErrorCode.PdfSignatureInvalid, field, "/Contents is not a hex string"));
            return null;
        }

        var hex = contents.Raw.Span[1..^1];
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit((char)c) && !PdfLexer.IsWhitespace(c))
            {
                f.Errors.Add(EdxmlError.Create(ErrorCode.PdfSignatureInvalid, field, "/Contents holds characters that are not hex digits"));
                return null;
            }
        }

        var bytes = PdfString.DecodeHex(hex);
        try
        {
            var length = CmsSignedData.EncodedLength(bytes);
            return length == bytes.Length ? bytes : bytes[..length];
        }
        catch (CmsFormatException e)
        {
            f.Errors.Add(EdxmlError.Create(ErrorCode.PdfSignatureInvalid, field, e.Message));
            return null;
        }
    }

    private static string? VerifyDetached(ReadOnlySpan<byte> file, SignedRanges? ranges, CmsSignedData cms)
    {
        if (cms.EncapsulatedContent is not null)
        {
            return "a detached PDF signature must not encapsulate content";
        }

        if (ranges is not { } r)
        {
            return null;
        }

        foreach (var signer in cms.Signers)
        {
            var hash = CmsOids.Hash(signer.DigestAlgorithm);
            if (hash is null)
            {
                return $"the digest algorithm {signer.DigestAlgorithm} is not supported";
            }

            if (CmsSignatureVerifier.Verify(cms, signer, r.Digest(file, hash.Value)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>adbe.pkcs7.sha1: the CMS signs an encapsulated SHA-1 digest of the byte range.</summary>
    private static string? VerifySha1(ReadOnlySpan<byte> file, SignedRanges? ranges, CmsSignedData cms, SignatureFindings f)
    {
        f.Errors.Add(EdxmlError.Warn(ErrorCode.Tolerated, FieldPathOf(f.Index),
            "adbe.pkcs7.sha1 signs a SHA-1 digest of the document; PDF 2.0 deprecates it"));
        if (cms.EncapsulatedContent is not { } content)
        {
            return "an adbe.pkcs7.sha1 signature must encapsulate the SHA-1 digest of the document";
        }

        if (ranges is not { } r)
        {
            return null;
        }

        if (!content.Span.SequenceEqual(r.Digest(file, HashAlgorithmName.SHA1)))
        {
            return "the signed bytes have changed since signing (the encapsulated SHA-1 digest does not match)";
        }

        return VerifyEncapsulated(cms, content.Span);
    }

    /// <summary>ETSI.RFC3161: a time-stamp token whose message imprint is the digest of the byte range.</summary>
    private static string? VerifyTimestamp(ReadOnlySpan<byte> file, SignedRanges? ranges, CmsSignedData cms, SignatureFindings f)
    {
        if (cms.EncapsulatedContentType != CmsOids.TstInfo || cms.EncapsulatedContent is not { } content)
        {
            return "a document timestamp must encapsulate an RFC 3161 TSTInfo";
        }

        string imprintAlgorithm;
        byte[] imprint;
        try
        {
            var tst = new AsnReader(content, AsnEncodingRules.BER).ReadSequence();
            tst.ReadInteger();
            tst.ReadObjectIdentifier();
            var messageImprint = tst.ReadSequence();
            imprintAlgorithm = messageImprint.ReadSequence().ReadObjectIdentifier();
            imprint = messageImprint.ReadOctetString();
            tst.ReadInteger();
            f.SigningTime = tst.ReadGeneralizedTime();
        }
        catch (AsnContentException e)
        {
            return "the TSTInfo cannot be read: " + e.Message;
        }

        if (CmsOids.Hash(imprintAlgorithm) is not { } imprintHash)
        {
            return $"the message imprint algorithm {imprintAlgorithm} is not supported";
        }

        if (ranges is { } r && !imprint.AsSpan().SequenceEqual(r.Digest(file, imprintHash)))
        {
            return "the time-stamped bytes have changed (message imprint mismatch)";
        }

        return VerifyEncapsulated(cms, content.Span);
    }

    private static string? VerifyEncapsulated(CmsSignedData cms, ReadOnlySpan<byte> content)
    {
        foreach (var signer in cms.Signers)
        {
            if (CmsOids.Hash(signer.DigestAlgorithm) is not { } hash)
            {
                return $"the digest algorithm {signer.DigestAlgorithm} is not supported";
            }

            using var h = IncrementalHash.CreateHash(hash);
            h.AppendData(content);
            if (CmsSignatureVerifier.Verify(cms, signer, h.GetHashAndReset()) is { } problem)
            {
                return problem;
            }
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

    /// <summary>The two signed ranges [0, b) and [c, c + d) of a sane byte range.</summary>
    private readonly record struct SignedRanges(int FirstLength, int SecondStart, int SecondLength)
    {
        public byte[] Digest(ReadOnlySpan<byte> file, HashAlgorithmName hash)
        {
            using var h = IncrementalHash.CreateHash(hash);
            h.AppendData(file[..FirstLength]);
            h.AppendData(file.Slice(SecondStart, SecondLength));
            return h.GetHashAndReset();
        }
    }

    /// <summary>What is being learned about one signature.</summary>
    private sealed class SignatureFindings(int index, string? fieldName, string? subFilter)
    {
        public int Index { get; } = index;

        public string? FieldName { get; } = fieldName;

        public string? SubFilter { get; } = subFilter;

        public IReadOnlyList<long> ByteRange { get; set; } = [];

        public bool CoversWholeFile { get; set; }

        public bool IsIntact { get; set; }

        public X509Certificate2? Certificate { get; set; }

        public DateTimeOffset? SigningTime { get; set; }

        public ChainVerdict? Chain { get; set; }

        public SignerKind Kind { get; set; } = SignerKind.Unknown;

        public List<EdxmlError> Errors { get; } = [];

        public PdfSignature ToSignature() => new(
            Index, FieldName, SubFilter, ByteRange, CoversWholeFile, IsIntact, Certificate?.Subject, SigningTime,
            Certificate, Chain, Kind, Errors);
    }
}
