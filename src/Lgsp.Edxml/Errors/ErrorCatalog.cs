using System.Collections.Frozen;
using System.Globalization;

namespace Lgsp.Edxml.Errors;

/// <summary>The English and Vietnamese sentence for every <see cref="ErrorCode"/>.</summary>
/// <remarks>Placeholders are positional (<c>{0}</c>, <c>{1}</c>); the field path is added by the
/// caller, not repeated in the sentence, except where naming it reads better.</remarks>
public static class ErrorCatalog
{
    private static readonly FrozenDictionary<string, (string En, string Vi)> Sentences =
        new Dictionary<string, (string En, string Vi)>
        {
            [ErrorCode.MalformedXml] = ("The package is not well-formed XML: {0}", "Gói tin không phải XML hợp lệ: {0}"),
            [ErrorCode.LeadingJunk] = ("{0} byte(s) precede the XML declaration.", "Có {0} byte thừa trước khai báo XML."),
            [ErrorCode.DtdProhibited] = ("The package declares a DTD; DTDs are prohibited.", "Gói tin khai báo DTD; DTD bị cấm."),
            [ErrorCode.TooLarge] = ("{0} is larger than the limit of {1}.", "{0} vượt quá giới hạn {1}."),
            [ErrorCode.TooDeep] = ("Elements nest deeper than the limit of {0}.", "Các phần tử lồng nhau sâu quá giới hạn {0}."),
            [ErrorCode.TooManyElements] = ("The package has more than {0} elements.", "Gói tin có nhiều hơn {0} phần tử."),
            [ErrorCode.NotEdxml] = ("The root element is {0}, not an edXML package in namespace {1}.", "Phần tử gốc là {0}, không phải gói edXML thuộc không gian tên {1}."),
            [ErrorCode.SchemaViolation] = ("The package does not conform to the edXML schema: {0}", "Gói tin không tuân thủ lược đồ edXML: {0}"),
            [ErrorCode.MissingField] = ("The required element {0} is missing or empty.", "Thiếu phần tử bắt buộc {0} hoặc phần tử rỗng."),
            [ErrorCode.DuplicateField] = ("The element {0} may appear only once.", "Phần tử {0} chỉ được xuất hiện một lần."),
            [ErrorCode.FieldTooLong] = ("The value has {0} characters; at most {1} are allowed.", "Giá trị dài {0} ký tự; tối đa cho phép {1} ký tự."),
            [ErrorCode.InvalidAgencyCode] = ("'{0}' is not a valid agency identifier: {1}", "'{0}' không phải mã định danh cơ quan hợp lệ: {1}"),
            [ErrorCode.NoRecipient] = ("The document has no recipient (To).", "Văn bản không có nơi nhận (To)."),
            [ErrorCode.DuplicateRecipient] = ("The recipient {0} is listed more than once.", "Nơi nhận {0} bị liệt kê nhiều lần."),
            [ErrorCode.UnknownStatusCode] = ("'{0}' is not a known status code (01, 02, 03, 04, 05, 06, 13, 15, 16).", "'{0}' không phải mã trạng thái hợp lệ (01, 02, 03, 04, 05, 06, 13, 15, 16)."),
            [ErrorCode.UnknownBusinessType] = ("'{0}' is not a known business document type (0 new, 1 revoke, 2 update, 3 replace).", "'{0}' không phải loại nghiệp vụ hợp lệ (0 mới, 1 thu hồi, 2 cập nhật, 3 thay thế)."),
            [ErrorCode.InvalidDate] = ("'{0}' is not a valid date ({1}).", "'{0}' không phải ngày tháng hợp lệ ({1})."),
            [ErrorCode.InvalidNumber] = ("'{0}' is not a valid number here ({1}).", "'{0}' không phải giá trị số hợp lệ ({1})."),
            [ErrorCode.SecretDocument] = ("The document is marked '{0}'; secret documents must not travel on this network.", "Văn bản có dấu '{0}'; văn bản mật không được gửi qua hệ thống này."),
            [ErrorCode.AttachmentMissing] = ("The manifest references {0} but the package carries no such attachment.", "Danh mục tham chiếu {0} nhưng gói tin không có tệp đính kèm này."),
            [ErrorCode.AttachmentUnreferenced] = ("The attachment {0} is not listed in the manifest.", "Tệp đính kèm {0} không có trong danh mục."),
            [ErrorCode.InvalidBase64] = ("The attachment content is not valid base64: {0}", "Nội dung tệp đính kèm không phải base64 hợp lệ: {0}"),
            [ErrorCode.InvalidZip] = ("The attachment is not a readable zip archive: {0}", "Tệp đính kèm không phải tệp nén zip đọc được: {0}"),
            [ErrorCode.ZipBomb] = ("The zip attachment inflates beyond the limit: {0}", "Tệp nén zip giải nén vượt quá giới hạn: {0}"),
            [ErrorCode.NonNumericCodeNumber] = ("The document number '{0}' is not numeric.", "Số văn bản '{0}' không phải là số."),
            [ErrorCode.Tolerated] = ("Tolerated deviation from the standard: {0}", "Sai lệch so với tiêu chuẩn được chấp nhận: {0}"),
            [ErrorCode.SignatureRequired] = ("The package is not signed and the policy requires a signature.", "Gói tin chưa được ký số và chính sách yêu cầu chữ ký số."),
            [ErrorCode.SignaturePlaceholder] = ("The signature element is a placeholder, not an XML signature: {0}", "Phần tử chữ ký chỉ là giữ chỗ, không phải chữ ký XML: {0}"),
            [ErrorCode.SignatureMisplaced] = ("The signature is misplaced or repeated: {0}", "Chữ ký đặt sai vị trí hoặc bị lặp: {0}"),
            [ErrorCode.SignatureAlgorithmNotAllowed] = ("The algorithm {0} is not allowed.", "Thuật toán {0} không được phép."),
            [ErrorCode.SignatureReferenceInvalid] = ("The signature must have exactly one reference, to the whole document (URI=\"\"): {0}", "Chữ ký phải có đúng một tham chiếu tới toàn bộ tài liệu (URI=\"\"): {0}"),
            [ErrorCode.SignatureTransformNotAllowed] = ("The transform {0} is not allowed.", "Phép biến đổi {0} không được phép."),
            [ErrorCode.SignatureDigestMismatch] = ("The signed content has been altered (digest mismatch).", "Nội dung đã ký bị thay đổi (giá trị băm không khớp)."),
            [ErrorCode.SignatureInvalid] = ("The signature value does not verify: {0}", "Giá trị chữ ký không hợp lệ: {0}"),
            [ErrorCode.SignatureCertificateMissing] = ("The signature carries no signer certificate.", "Chữ ký không kèm chứng thư số của người ký."),
            [ErrorCode.SignerNotPinned] = ("The document is signed by {0} (SHA-256 {1}), which is not the pinned signer: only {2} may sign it.", "Tài liệu được ký bởi {0} (SHA-256 {1}), không phải chứng thư số được ghim: chỉ {2} được phép ký tài liệu này."),
            [ErrorCode.CertificateUntrustedRoot] = ("The certificate of {0} does not chain to a trusted root: the chain stops at {1}, issued by {2}, which is neither given (trusted roots, intermediates, the signature's certificates) nor trusted.", "Chứng thư số của {0} không chuỗi tới chứng thư gốc tin cậy: chuỗi dừng ở {1}, do {2} cấp, mà chứng thư của {2} không được cung cấp (chứng thư gốc, chứng thư trung gian, chứng thư trong chữ ký) hoặc không được tin cậy."),
            [ErrorCode.CertificateExpired] = ("The certificate of {0} expired on {1}.", "Chứng thư số của {0} đã hết hạn ngày {1}."),
            [ErrorCode.CertificateNotYetValid] = ("The certificate of {0} is not valid before {1}.", "Chứng thư số của {0} chưa có hiệu lực trước ngày {1}."),
            [ErrorCode.CertificateRevoked] = ("The certificate of {0} was revoked on {1}.", "Chứng thư số của {0} đã bị thu hồi ngày {1}."),
            [ErrorCode.CertificateRevocationUnknown] = ("The revocation status of {0} is unknown: {1}", "Không xác định được trạng thái thu hồi của {0}: {1}"),
            [ErrorCode.CrlStale] = ("The CRL of {0} is out of date: its next update was due {1} (checked at {2}); load a fresh CRL to check {3}.", "Danh sách thu hồi chứng thư số (CRL) của {0} đã quá hạn: hạn cập nhật tiếp theo là {1} (kiểm tra lúc {2}); cần nạp CRL mới để kiểm tra {3}."),
            [ErrorCode.CertificateWrongKeyUsage] = ("The certificate of {0} may not be used for signing: {1}", "Chứng thư số của {0} không được dùng để ký: {1}"),
            [ErrorCode.CertificateChainInvalid] = ("The certificate chain of {0} is invalid: {1}", "Chuỗi chứng thư số của {0} không hợp lệ: {1}"),
            [ErrorCode.PdfMalformed] = ("The PDF cannot be read: {0}", "Không đọc được tệp PDF: {0}"),
            [ErrorCode.PdfSignatureInvalid] = ("The PDF signature does not verify: {0}", "Chữ ký trong tệp PDF không hợp lệ: {0}"),
            [ErrorCode.PdfByteRangeInvalid] = ("The PDF signature's byte range is invalid: {0}", "Phạm vi byte được ký của chữ ký trong tệp PDF không hợp lệ: {0}"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every code in the catalogue.</summary>
    public static IEnumerable<string> Codes => Sentences.Keys;

    /// <summary>True when <paramref name="code"/> is in the catalogue.</summary>
    public static bool Contains(string code) => Sentences.ContainsKey(code);

    internal static EdxmlError Build(string code, string field, Severity severity, object?[] args)
    {
        if (!Sentences.TryGetValue(code, out var s))
        {
            throw new ArgumentException($"Unknown error code '{code}'.", nameof(code));
        }

        return new EdxmlError(
            code,
            field,
            string.Format(CultureInfo.InvariantCulture, s.En, args),
            string.Format(CultureInfo.InvariantCulture, s.Vi, args),
            severity);
    }
}
