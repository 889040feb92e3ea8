using System.Collections.Frozen;
using System.Globalization;
using Lgsp.Edxml.Errors;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// The error codes of the SOAP edge, with their English and Vietnamese sentences. Like
/// <see cref="ErrorCode"/>, these strings are part of the public contract: never rename one.
/// The edge also reuses format-core codes (<see cref="ErrorCode.MalformedXml"/>,
/// <see cref="ErrorCode.DtdProhibited"/>, <see cref="ErrorCode.TooLarge"/>,
/// <see cref="ErrorCode.TooDeep"/>, <see cref="ErrorCode.MissingField"/>,
/// <see cref="ErrorCode.DuplicateField"/>, <see cref="ErrorCode.InvalidNumber"/>,
/// <see cref="ErrorCode.InvalidDate"/>), with the format core's sentences except the first two,
/// which speak of the request rather than of a package. The hub's business codes belong to the
/// domain.
/// </summary>
/// <remarks>Thread safe.</remarks>
public static class SoapErrors
{
    /// <summary>The body is XML but not a SOAP request the service can read: no Envelope or Body,
    /// the other SOAP version's envelope, an unexpected element, a SOAPAction naming another operation.</summary>
    public const string MalformedSoap = nameof(MalformedSoap);

    /// <summary>The Body's element is not an operation of <c>urn:lgsp:edoc:1</c>.</summary>
    public const string UnknownOperation = nameof(UnknownOperation);

    /// <summary>A header block is marked mustUnderstand; the service understands none.</summary>
    public const string MustUnderstand = nameof(MustUnderstand);

    /// <summary>The content type is neither <c>text/xml</c> nor <c>application/soap+xml</c> (HTTP 415).</summary>
    public const string UnsupportedMediaType = nameof(UnsupportedMediaType);

    /// <summary>A value has the right element but not a value the service accepts (an unknown <c>Outcome</c>).</summary>
    public const string InvalidValue = nameof(InvalidValue);

    /// <summary>HTTP Basic credentials are missing or wrong (HTTP 401).</summary>
    public const string Unauthenticated = nameof(Unauthenticated);

    /// <summary>The hub failed unexpectedly; a server fault with a reference to quote.</summary>
    public const string InternalError = nameof(InternalError);

    private static readonly FrozenDictionary<string, (string En, string Vi, bool Client)> Sentences =
        new Dictionary<string, (string En, string Vi, bool Client)>
        {
            [MalformedSoap] = ("The request is not a SOAP message this service can read: {0}", "Yêu cầu không phải thông điệp SOAP mà dịch vụ đọc được: {0}", true),
            [UnknownOperation] = ("{0} is not an operation of this service (namespace urn:lgsp:edoc:1).", "{0} không phải thao tác của dịch vụ này (không gian tên urn:lgsp:edoc:1).", true),
            [MustUnderstand] = ("The header {0} is marked mustUnderstand, but this service does not understand it.", "Tiêu đề {0} được đánh dấu mustUnderstand nhưng dịch vụ không hỗ trợ tiêu đề này.", true),
            [UnsupportedMediaType] = ("The content type '{0}' is not supported; send text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2), without MTOM.", "Kiểu nội dung '{0}' không được hỗ trợ; hãy gửi text/xml (SOAP 1.1) hoặc application/soap+xml (SOAP 1.2), không dùng MTOM.", true),
            [InvalidValue] = ("'{0}' is not a valid value here; expected {1}.", "'{0}' không phải giá trị hợp lệ; giá trị mong đợi: {1}.", true),
            [Unauthenticated] = ("Missing or wrong credentials: authenticate with HTTP Basic, using the client system's identifier and secret.", "Thiếu hoặc sai thông tin xác thực: hãy xác thực HTTP Basic bằng mã định danh và khóa bí mật của hệ thống.", true),
            [ErrorCode.MalformedXml] = ("The request is not well-formed XML: {0}", "Yêu cầu không phải XML hợp lệ: {0}", true),
            [ErrorCode.DtdProhibited] = ("The request declares a DTD; DTDs are prohibited.", "Yêu cầu khai báo DTD; DTD bị cấm.", true),
            [InternalError] = ("The hub could not process the request; try again later, and quote reference {0} if it persists.", "Hệ thống không xử lý được yêu cầu; vui lòng thử lại sau và cung cấp mã tham chiếu {0} nếu lỗi vẫn tiếp diễn.", false),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every code of this catalogue (its own and the two reworded format-core codes).</summary>
    public static IEnumerable<string> Codes => Sentences.Keys;

    /// <summary>
    /// Builds an error from this catalogue or, for any other code, from the format core's
    /// <see cref="ErrorCatalog"/>.
    /// </summary>
    /// <param name="code">A code of this class or of <see cref="ErrorCode"/>.</param>
    /// <param name="field">What the error concerns.</param>
    /// <param name="args">Values for the sentence's placeholders, in order.</param>
    /// <exception cref="ArgumentException">The code is in neither catalogue.</exception>
    public static EdxmlError Create(string code, string field, params object?[] args)
    {
        if (!Sentences.TryGetValue(code, out var s))
        {
            return EdxmlError.Create(code, field, args);
        }

        return new EdxmlError(
            code,
            field,
            string.Format(CultureInfo.InvariantCulture, s.En, args),
            string.Format(CultureInfo.InvariantCulture, s.Vi, args));
    }

    /// <summary>
    /// Builds the exception for <see cref="Create"/>'s error: a server fault for
    /// <see cref="InternalError"/>, a client fault for every other code.
    /// </summary>
    public static SoapFaultException Fault(string code, string field, params object?[] args) =>
        new(Create(code, field, args), !Sentences.TryGetValue(code, out var s) || s.Client);
}
