using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Writing;

namespace Lgsp.Exchange.Tests.Support;

/// <summary>edXML packages as models, valid under the strict policy once signed, to change with
/// <c>with</c> before they are written; and their bytes, plain, signed or altered.</summary>
internal static class Packages
{
    private static int s_number;

    /// <summary>A new document from <paramref name="from"/> to <paramref name="to"/>, with its own
    /// DocumentId and a small PDF attachment.</summary>
    public static DocumentPackage Document(string from, params string[] to)
    {
        var number = Interlocked.Increment(ref s_number).ToString(CultureInfo.InvariantCulture);
        return new DocumentPackage
        {
            From = Organization(from),
            To = [.. to.Select(Organization)],
            Code = new DocumentCode(number, "STC-NS"),
            PromulgationInfo = new PromulgationInfo("Thanh Hóa", EdxmlDate.From(new DateOnly(2026, 1, 15))),
            DocumentType = new DocumentType("2", "1", "Công văn"),
            Subject = "V/v kiểm thử liên thông văn bản",
            Content = "Nội dung kiểm thử",
            SignerInfo = new SignerInfo("KT. GIÁM ĐỐC", "Phó Giám đốc", "Nguyễn Văn An"),
            DocumentId = $"{from},2026/01/15,{number}/STC-NS",
            TraceHeaders = [new TraceHeader(from, EdxmlTimestamp.From(new DateTime(2026, 1, 15, 8, 30, 0)))],
            Business = new Business { BussinessDocType = BusinessDocType.New, BussinessDocTypeText = "0", Paper = 0 },
            ManifestVersion = "1.0",
            References = [new ManifestReference("cid:1", "application/pdf", "Công văn", "cong-van.pdf")],
            Attachments = [Attachment.FromBytes("cong-van.pdf", "%PDF-1.4\n% kiểm thử\n%%EOF\n"u8, "application/pdf", "cid:1", description: "Công văn")],
        };
    }

    /// <summary>A status from <paramref name="from"/> about document <paramref name="documentId"/>, for
    /// <paramref name="to"/> (<c>ResponseFor/OrganId</c>).</summary>
    public static StatusPackage Status(string from, string to, string documentId, StatusCode code) => new()
    {
        From = Organization(from),
        ResponseFor = new ResponseFor(to, "1/STC-NS", EdxmlDate.From(new DateOnly(2026, 1, 15)), documentId),
        StaffInfo = new StaffInfo("Văn phòng", "Lê Thị Bình", "0912000001", "vanthu@example.gov.vn"),
        StatusCode = StatusCodes.ToText(code),
        Description = "Trạng thái " + StatusCodes.ToText(code),
        Timestamp = EdxmlTimestamp.From(new DateTime(2026, 1, 15, 9, 0, 0)),
    };

    public static Organization Organization(string code) => new(code, "Cơ quan " + code, null, null, null, null, null, null);

    public static byte[] Unsigned(EdxmlPackage package) => PackageWriter.ToBytes(package);

    public static byte[] Signed(EdxmlPackage package, X509Certificate2 signer) => PackageSigner.Sign(PackageWriter.ToBytes(package), signer);

    /// <summary>The package with the first <paramref name="text"/> replaced: a change after signing.</summary>
    public static byte[] Altered(byte[] package, string text, string replacement)
    {
        var xml = Encoding.UTF8.GetString(package);
        var at = xml.IndexOf(text, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{text}' is not in the package");
        return Encoding.UTF8.GetBytes(string.Concat(xml.AsSpan(0, at), replacement, xml.AsSpan(at + text.Length)));
    }
}
