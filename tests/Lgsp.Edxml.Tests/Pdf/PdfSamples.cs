using Lgsp.Edxml.Testing.Pdf;

namespace Lgsp.Edxml.Tests.Pdf;

/// <summary>Signed PDFs built once per test run from <see cref="TestPdf"/> and <see cref="PdfSigning"/>.</summary>
internal static class PdfSamples
{
    public static readonly DateTimeOffset SealTime = new(2025, 3, 14, 9, 30, 15, TimeSpan.FromHours(7));
    public static readonly DateTimeOffset PersonalTime = new(2025, 3, 14, 10, 5, 0, TimeSpan.FromHours(7));

    private static readonly Lazy<byte[]> UnsignedPdf = new(() => TestPdf.Create(
        "Công văn số 123/SNV-VP",
        "Kính gửi: Các cơ quan, đơn vị trực thuộc.\nVề việc thử nghiệm chữ ký số trên văn bản điện tử.\n(Nội dung thử nghiệm)"));

    private static readonly Lazy<byte[]> Sealed = new(() => PdfSigning.AppendSignature(
        Unsigned, PdfTestCertificates.Organization,
        new PdfSignatureRequest
        {
            FieldName = "ChuKyCoQuan",
            Reason = "Ký số văn bản",
            Location = "Thái Bình",
            SigningTime = SealTime,
            ExtraCertificates = [PdfTestCertificates.Intermediate],
        }));

    private static readonly Lazy<byte[]> SealedThenSigned = new(() => PdfSigning.AppendSignature(
        SealedPdf, PdfTestCertificates.Personal,
        new PdfSignatureRequest
        {
            FieldName = "ChuKyCaNhan",
            Reason = "Phê duyệt",
            SigningTime = PersonalTime,
            ExtraCertificates = [PdfTestCertificates.Intermediate],
            Format = PdfSignatureFormat.CadesDetached,
        }));

    private static readonly Lazy<byte[]> HandWrittenSignedTwice = new(() =>
    {
        var once = PdfSigning.AppendSignature(
            HandWrittenPdf.WithDirectAcroFormAndIndirectAnnots(), PdfTestCertificates.Organization,
            new PdfSignatureRequest { ExtraCertificates = [PdfTestCertificates.Intermediate], Format = PdfSignatureFormat.CadesDetached });
        return PdfSigning.AppendSignature(once, PdfTestCertificates.Personal, new PdfSignatureRequest { Reason = "Đồng ý" });
    });

    /// <summary>A one-page PDF, not signed.</summary>
    public static byte[] Unsigned => UnsignedPdf.Value;

    /// <summary>Signed once with the organisation's seal (RSA, adbe.pkcs7.detached).</summary>
    public static byte[] SealedPdf => Sealed.Value;

    /// <summary>Sealed, then signed by the official (ECDSA, ETSI.CAdES.detached, no signingTime attribute).</summary>
    public static byte[] TwiceSignedPdf => SealedThenSigned.Value;

    /// <summary><see cref="HandWrittenPdf.WithDirectAcroFormAndIndirectAnnots"/> signed twice, with default field names.</summary>
    public static byte[] HandWrittenTwiceSignedPdf => HandWrittenSignedTwice.Value;

    /// <summary>A copy, safe to tamper with.</summary>
    public static byte[] Copy(byte[] pdf) => (byte[])pdf.Clone();

    /// <summary>The offset of the first occurrence of <paramref name="text"/> at or after <paramref name="from"/>.</summary>
    public static int IndexOf(byte[] pdf, string text, int from = 0)
    {
        var at = pdf.AsSpan(from).IndexOf(System.Text.Encoding.Latin1.GetBytes(text));
        Assert.True(at >= 0, $"'{text}' not found in the PDF after offset {from}");
        return from + at;
    }

    /// <summary>The offset of the last occurrence of <paramref name="text"/>.</summary>
    public static int LastIndexOf(byte[] pdf, string text)
    {
        var at = pdf.AsSpan().LastIndexOf(System.Text.Encoding.Latin1.GetBytes(text));
        Assert.True(at >= 0, $"'{text}' not found in the PDF");
        return at;
    }
}
