using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Pdf.Cms;
using Lgsp.Edxml.Pdf.Syntax;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Pdf;

// One signature dictionary: its byte range, the CMS in its /Contents, the signer and the signer's chain.
public sealed partial class PdfSignatureInspector
{
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
}
