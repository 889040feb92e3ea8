using System.Formats.Asn1;
using System.Globalization;
using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Testing.Pdf;

namespace Lgsp.Edxml.Tests.Pdf;

public class PdfSignatureInspectorTests
{
    private static readonly PdfSignatureInspector Trusting = new(new X509ChainTestTrust(PdfTestCertificates.Root));
    private static readonly PdfSignatureInspector WithoutTrust = new();

    [Fact]
    public void A_sealed_pdf_has_one_intact_trusted_organisation_signature_covering_the_whole_file()
    {
        var result = Trusting.Inspect(new MemoryStream(PdfSamples.SealedPdf));

        Assert.True(result.IsPdf);
        Assert.Empty(result.AllErrors);
        var s = Assert.Single(result.Signatures);
        Assert.Equal(1, s.Index);
        Assert.Equal("ChuKyCoQuan", s.FieldName);
        Assert.Equal(PdfSubFilters.Pkcs7Detached, s.SubFilter);
        Assert.Equal(4, s.ByteRange.Count);
        Assert.Equal(0, s.ByteRange[0]);
        Assert.Equal(PdfSamples.SealedPdf.Length, s.ByteRange[2] + s.ByteRange[3]);
        Assert.True(s.CoversWholeFile);
        Assert.True(s.IsIntact);
        Assert.Contains("CN=" + PdfTestCertificates.OrganizationName, s.SignerSubject);
        Assert.Equal(PdfTestCertificates.Organization.Thumbprint, s.SignerCertificate!.Thumbprint);
        Assert.Equal(PdfSamples.SealTime, s.SigningTime);
        Assert.Equal(SignerKind.Organization, s.Kind);
        Assert.NotNull(s.Chain);
        Assert.True(s.Chain.IsTrusted);
        Assert.Equal(PdfTestCertificates.Root.Thumbprint, s.Chain.Chain[^1].Thumbprint);
        Assert.False(s.IsDocumentTimestamp);
    }

    [Fact]
    public void Without_a_trust_the_signature_is_still_verified_but_no_chain_is_reported()
    {
        var s = Assert.Single(WithoutTrust.Inspect(PdfSamples.SealedPdf).Signatures);

        Assert.True(s.IsIntact);
        Assert.Null(s.Chain);
        Assert.Empty(s.Errors);
    }

    [Fact]
    public void A_signer_outside_the_trusted_roots_is_intact_but_its_chain_is_not_trusted()
    {
        var pdf = PdfSigning.AppendSignature(PdfSamples.Unsigned, PdfTestCertificates.Stranger, new PdfSignatureRequest());

        var result = Trusting.Inspect(pdf);

        var s = Assert.Single(result.Signatures);
        Assert.True(s.IsIntact);
        Assert.False(s.Chain!.IsTrusted);
        Assert.Contains(result.AllErrors, e => e.Code == ErrorCode.CertificateUntrustedRoot);
    }

    [Fact]
    public void An_organisation_seal_then_a_personal_signature_are_both_intact_and_only_the_second_covers_the_whole_file()
    {
        var result = Trusting.Inspect(PdfSamples.TwiceSignedPdf);

        Assert.Empty(result.AllErrors);
        Assert.Equal(2, result.Signatures.Count);
        var (seal, personal) = (result.Signatures[0], result.Signatures[1]);

        Assert.Equal((1, "ChuKyCoQuan", SignerKind.Organization), (seal.Index, seal.FieldName, seal.Kind));
        Assert.Equal((2, "ChuKyCaNhan", SignerKind.Personal), (personal.Index, personal.FieldName, personal.Kind));
        Assert.True(seal.IsIntact);
        Assert.True(personal.IsIntact);
        Assert.False(seal.CoversWholeFile);
        Assert.True(personal.CoversWholeFile);
        // The seal covers exactly the first revision: everything the official's update appended is outside it.
        Assert.Equal(PdfSamples.SealedPdf.Length, seal.ByteRange[2] + seal.ByteRange[3]);
        Assert.Equal(PdfSubFilters.CadesDetached, personal.SubFilter);
        Assert.Contains("CN=" + PdfTestCertificates.PersonName, personal.SignerSubject);
        Assert.True(seal.Chain!.IsTrusted);
        Assert.True(personal.Chain!.IsTrusted);
    }

    public static TheoryData<string, string, bool, int, bool, bool> SignedBytes => new()
    {
        // description, marker, last occurrence, offset from the marker, seal still intact, personal still intact
        { "header version digit", "%PDF-1.7", false, 7, false, false },
        { "page text", "Noi dung", false, 0, false, false },
        { "document information", "/Producer", false, 3, false, false },
        { "first cross-reference table", "xref\n0 7\n", false, 10, false, false },
        { "seal dictionary /M date", "/M (D:", false, 6, false, false },
        { "personal field name", "/T (ChuKyCaNhan)", false, 5, true, false },
        { "personal /ByteRange", "/ByteRange [0 ", true, 14, true, false },
        { "last startxref", "startxref", true, 0, true, false },
        { "final end of line", "%%EOF", true, 5, true, false },
    };

    [Theory]
    [MemberData(nameof(SignedBytes))]
    public void Flipping_a_signed_byte_breaks_exactly_the_signatures_whose_range_covers_it(
        string description, string marker, bool last, int offset, bool sealIntact, bool personalIntact)
    {
        var pdf = PdfSamples.Copy(PdfSamples.TwiceSignedPdf);
        var at = (last ? PdfSamples.LastIndexOf(pdf, marker) : PdfSamples.IndexOf(pdf, marker)) + offset;
        pdf[at] ^= 0x01;

        var result = WithoutTrust.Inspect(pdf);

        Assert.True(result.Signatures.Count == 2, description);
        Assert.Equal(sealIntact, result.Signatures[0].IsIntact);
        Assert.Equal(personalIntact, result.Signatures[1].IsIntact);
        foreach (var s in result.Signatures.Where(s => !s.IsIntact))
        {
            Assert.Contains(s.Errors, e => e.IsError && e.Code is ErrorCode.PdfSignatureInvalid or ErrorCode.PdfByteRangeInvalid);
        }

        foreach (var s in result.Signatures.Where(s => s.IsIntact))
        {
            Assert.DoesNotContain(s.Errors, e => e.IsError);
        }
    }

    [Theory]
    [InlineData(0, "signed attributes")]
    [InlineData(0, "signature value")]
    [InlineData(0, "signer public key")]
    [InlineData(1, "signed attributes")]
    [InlineData(1, "signature value")]
    [InlineData(1, "signer public key")]
    public void Flipping_a_hex_digit_inside_a_signatures_contents_makes_that_signature_invalid(int signature, string part)
    {
        var original = WithoutTrust.Inspect(PdfSamples.TwiceSignedPdf).Signatures[signature];
        var der = Contents(PdfSamples.TwiceSignedPdf, original);
        var derOffset = part switch
        {
            // Inside the messageDigest value: 11 bytes of OID, then SET, OCTET STRING headers.
            "signed attributes" => der.AsSpan().IndexOf(MessageDigestOid) + MessageDigestOid.Length + 6,
            // The signature value is the last element of the (only) SignerInfo.
            "signature value" => der.Length - 3,
            _ => der.AsSpan().IndexOf(original.SignerCertificate!.PublicKey.EncodedKeyValue.RawData) + 40,
        };
        Assert.InRange(derOffset, 40, der.Length - 1);
        var pdf = PdfSamples.Copy(PdfSamples.TwiceSignedPdf);
        var at = (int)original.ByteRange[1] + 1 + (2 * derOffset);
        pdf[at] = FlipHexDigit(pdf[at]);

        var result = WithoutTrust.Inspect(pdf);

        Assert.Equal(2, result.Signatures.Count);
        var damaged = result.Signatures[signature];
        Assert.False(damaged.IsIntact);
        Assert.Contains(damaged.Errors, e => e.Code == ErrorCode.PdfSignatureInvalid);
        // The official's signature covers the seal's /Contents too; the seal does not cover the official's.
        Assert.Equal(signature == 1, result.Signatures[0].IsIntact);
        Assert.False(result.Signatures[1].IsIntact);
    }

    [Fact]
    public void Damage_to_an_unused_certificate_in_the_cms_does_not_break_the_signature()
    {
        // The certificate set is not signed: an intermediate carried along can be damaged
        // without touching what the signature covers (the chain check would then fail instead).
        var original = Assert.Single(WithoutTrust.Inspect(PdfSamples.SealedPdf).Signatures);
        var der = Contents(PdfSamples.SealedPdf, original);
        var intermediate = PdfTestCertificates.Intermediate.RawData;
        var derOffset = der.AsSpan().IndexOf(intermediate) + intermediate.Length - 5;
        Assert.True(derOffset > 0);
        var pdf = PdfSamples.Copy(PdfSamples.SealedPdf);
        var at = (int)original.ByteRange[1] + 1 + (2 * derOffset);
        pdf[at] = FlipHexDigit(pdf[at]);

        var s = Assert.Single(WithoutTrust.Inspect(pdf).Signatures);

        Assert.True(s.IsIntact);
    }

    private static readonly byte[] MessageDigestOid = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04];

    [Fact]
    public void A_character_that_is_not_a_hex_digit_in_the_contents_makes_the_signature_invalid()
    {
        var original = Assert.Single(WithoutTrust.Inspect(PdfSamples.SealedPdf).Signatures);
        var pdf = PdfSamples.Copy(PdfSamples.SealedPdf);
        pdf[(int)original.ByteRange[1] + 100] = (byte)'x';

        var s = Assert.Single(WithoutTrust.Inspect(pdf).Signatures);

        Assert.False(s.IsIntact);
        Assert.Contains(s.Errors, e => e.Code == ErrorCode.PdfSignatureInvalid && e.Field == "PdfSignature[1]/Contents");
    }

    [Fact]
    public void A_byte_range_reaching_beyond_the_end_of_the_file_is_invalid()
    {
        var pdf = RewriteByteRange(PdfSamples.SealedPdf, r => [r[0], r[1], r[2], r[3] + 1000]);

        var s = Assert.Single(WithoutTrust.Inspect(pdf).Signatures);

        Assert.False(s.IsIntact);
        Assert.False(s.CoversWholeFile);
        var error = Assert.Single(s.Errors, e => e.Code == ErrorCode.PdfByteRangeInvalid);
        Assert.Equal("PdfSignature[1]/ByteRange", error.Field);
        Assert.Contains("beyond the end of the file", error.Message);
    }

    [Fact]
    public void A_byte_range_that_does_not_start_at_zero_is_invalid()
    {
        var pdf = RewriteByteRange(PdfSamples.SealedPdf, r => [1, r[1] - 1, r[2], r[3]]);

        var s = Assert.Single(WithoutTrust.Inspect(pdf).Signatures);

        Assert.False(s.IsIntact);
        Assert.Contains(s.Errors, e => e.Code == ErrorCode.PdfByteRangeInvalid && e.Message.Contains("not at the beginning", StringComparison.Ordinal));
    }

    [Fact]
    public void A_byte_range_whose_gap_is_not_exactly_the_contents_is_invalid()
    {
        // Leaving the '<' of /Contents outside the gap would let it be changed unnoticed.
        var pdf = RewriteByteRange(PdfSamples.SealedPdf, r => [r[0], r[1] + 1, r[2], r[3]]);

        var s = Assert.Single(WithoutTrust.Inspect(pdf).Signatures);

        Assert.False(s.IsIntact);
        Assert.Contains(s.Errors, e => e.Code == ErrorCode.PdfByteRangeInvalid && e.Message.Contains("/Contents", StringComparison.Ordinal));
    }

    [Fact]
    public void Bytes_appended_after_the_last_signature_are_reported_as_unsigned()
    {
        var pdf = PdfSamples.SealedPdf.Concat(Encoding.ASCII.GetBytes("% appended later\n%%EOF\n")).ToArray();

        var s = Assert.Single(WithoutTrust.Inspect(pdf).Signatures);

        Assert.True(s.IsIntact);
        Assert.False(s.CoversWholeFile);
        var warning = Assert.Single(s.Errors);
        Assert.Equal((ErrorCode.PdfByteRangeInvalid, Severity.Warning), (warning.Code, warning.Severity));
    }

    [Fact]
    public void The_signing_time_comes_from_the_cms_signing_time_attribute_rather_than_the_dictionary()
    {
        // Change the year in /M: the CMS attribute still says when the seal was made.
        var pdf = PdfSamples.Copy(PdfSamples.SealedPdf);
        pdf[PdfSamples.IndexOf(pdf, "/M (D:2025") + 9] = (byte)'3';

        var s = Assert.Single(WithoutTrust.Inspect(pdf).Signatures);

        Assert.Equal(PdfSamples.SealTime, s.SigningTime);
    }

    [Fact]
    public void Without_a_signing_time_attribute_the_signing_time_comes_from_the_dictionary_date()
    {
        var personal = WithoutTrust.Inspect(PdfSamples.TwiceSignedPdf).Signatures[1];
        var der = Contents(PdfSamples.TwiceSignedPdf, personal);
        Assert.Null(Lgsp.Edxml.Pdf.Cms.CmsSignedData.Decode(der).Signers[0].SigningTime);

        Assert.Equal(PdfSamples.PersonalTime, personal.SigningTime);
        Assert.Equal(PdfSamples.PersonalTime.Offset, personal.SigningTime!.Value.Offset);
    }

    [Fact]
    public void A_custom_signer_kind_rule_is_applied_to_every_signature()
    {
        var rule = new SignerKindRule { Conditions = [new SignerKindCondition("C", "^VN$", SignerKind.Personal)] };

        var result = new PdfSignatureInspector(rule: rule).Inspect(PdfSamples.TwiceSignedPdf);

        Assert.All(result.Signatures, s => Assert.Equal(SignerKind.Personal, s.Kind));
    }

    [Fact]
    public void A_forward_only_stream_is_inspected_like_a_seekable_one()
    {
        var seekable = WithoutTrust.Inspect(new MemoryStream(PdfSamples.TwiceSignedPdf));
        var forwardOnly = WithoutTrust.Inspect(new ForwardOnlyStream(PdfSamples.TwiceSignedPdf));

        Assert.Equal(
            seekable.Signatures.Select(s => (s.FieldName, s.IsIntact, s.CoversWholeFile, s.Kind)),
            forwardOnly.Signatures.Select(s => (s.FieldName, s.IsIntact, s.CoversWholeFile, s.Kind)));
        Assert.Equal(2, forwardOnly.Signatures.Count(s => s.IsIntact));
    }

    [Fact]
    public void One_inspector_serves_concurrent_inspections_with_the_same_results()
    {
        var inputs = new[] { PdfSamples.SealedPdf, PdfSamples.TwiceSignedPdf, PdfSamples.Unsigned };
        var expected = inputs.Select(p => Summary(Trusting.Inspect(p))).ToArray();

        var results = new string[60];
        Parallel.For(0, results.Length, i => results[i] = Summary(Trusting.Inspect(new MemoryStream(inputs[i % 3]))));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % 3], results[i]);
        }

        static string Summary(PdfInspection r) => string.Join(";", r.Signatures.Select(s =>
            $"{s.FieldName}|{s.IsIntact}|{s.CoversWholeFile}|{s.Kind}|{s.SigningTime:O}|{s.Chain?.IsTrusted}")) + "#" + r.AllErrors.Count();
    }

    [Fact]
    public void An_unsigned_pdf_has_no_signatures_and_no_findings()
    {
        var result = Trusting.Inspect(PdfSamples.Unsigned);

        Assert.True(result.IsPdf);
        Assert.Empty(result.Signatures);
        Assert.Empty(result.AllErrors);
    }

    [Theory]
    [InlineData("%PDF-1.7\n", true)]
    [InlineData("\r\n\r\n%PDF-1.4", true)]
    [InlineData("PK\u0003\u0004", false)]
    [InlineData("", false)]
    public void LooksLikePdf_looks_for_the_header_in_the_first_kilobyte(string head, bool expected) =>
        Assert.Equal(expected, PdfSignatureInspector.LooksLikePdf(Encoding.Latin1.GetBytes(head)));

    [Fact]
    public void LooksLikePdf_ignores_a_header_after_the_first_kilobyte()
    {
        var late = new byte[1100];
        Encoding.ASCII.GetBytes("%PDF-1.7").CopyTo(late, 1050);
        var early = new byte[1100];
        Encoding.ASCII.GetBytes("%PDF-1.7").CopyTo(early, 1000);

        Assert.False(PdfSignatureInspector.LooksLikePdf(late));
        Assert.True(PdfSignatureInspector.LooksLikePdf(early));
    }

    /// <summary>Rewrites the first signature's /ByteRange in place (the signer pads it with spaces).</summary>
    internal static byte[] RewriteByteRange(byte[] source, Func<long[], long[]> change)
    {
        var pdf = PdfSamples.Copy(source);
        var open = PdfSamples.IndexOf(pdf, "/ByteRange [") + "/ByteRange ".Length;
        var close = Array.IndexOf(pdf, (byte)']', open);
        var numbers = Encoding.ASCII.GetString(pdf, open + 1, close - open - 1)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var width = PdfSamples.IndexOf(pdf, "/Contents", open) - open - 1;
        var text = ("[" + string.Join(' ', change(numbers)) + "]").PadRight(width);
        Assert.Equal(width, text.Length);
        Encoding.ASCII.GetBytes(text).CopyTo(pdf, open);
        return pdf;
    }

    internal static byte[] Contents(byte[] pdf, PdfSignature signature)
    {
        var hex = Encoding.ASCII.GetString(pdf, (int)signature.ByteRange[1] + 1, (int)(signature.ByteRange[2] - signature.ByteRange[1] - 2));
        var bytes = Convert.FromHexString(hex);
        AsnDecoder.ReadEncodedValue(bytes, AsnEncodingRules.BER, out _, out _, out var consumed);
        return bytes[..consumed];
    }

    private static byte FlipHexDigit(byte c)
    {
        var value = Convert.ToInt32(((char)c).ToString(), 16) ^ 1;
        var flipped = value.ToString("X", CultureInfo.InvariantCulture)[0];
        return (byte)(char.IsLower((char)c) ? char.ToLowerInvariant(flipped) : flipped);
    }
}

/// <summary>A stream that can only be read forwards, like a network body.</summary>
internal sealed class ForwardOnlyStream(byte[] data) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        // Short reads, as networks deliver them.
        var n = Math.Min(Math.Min(count, 1000), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
