using System.Collections.Frozen;
using System.Globalization;
using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Errors;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>
/// The error codes of the axis-protocol edge (its <c>ErrorCode</c> values), with their English and
/// Vietnamese sentences. Stable: never rename one. Refusals of the accept path and the inbox carry the
/// hub's business codes (<see cref="HubErrorCode"/>) and the format core's (<see cref="ErrorCode"/>)
/// unchanged; docs/axis.md lists the whole vocabulary.
/// </summary>
/// <remarks>Thread safe.</remarks>
public static class AxisErrors
{
    /// <summary>A header of the HMAC scheme is missing (HTTP 401).</summary>
    public const string HeadersMissing = nameof(HeadersMissing);

    /// <summary>No active client system has that id (HTTP 401).</summary>
    public const string UnknownSystem = nameof(UnknownSystem);

    /// <summary>The MAC does not match, or the signed JSON is unreadable or names another system (HTTP 401).</summary>
    public const string SignatureInvalid = nameof(SignatureInvalid);

    /// <summary>The system's secret was set before secrets were sealed; it must be set again (HTTP 401).</summary>
    public const string SecretNotSealed = nameof(SecretNotSealed);

    /// <summary>The last path segment is not an operation of the protocol.</summary>
    public const string UnknownOperation = nameof(UnknownOperation);

    /// <summary>The body does not match the signed <c>hash-file</c>.</summary>
    public const string HashFileMismatch = nameof(HashFileMismatch);

    /// <summary>A parameter has a value the operation does not take.</summary>
    public const string InvalidValue = nameof(InvalidValue);

    /// <summary>The hub failed unexpectedly; the answer carries a reference to quote.</summary>
    public const string InternalError = nameof(InternalError);

    private static readonly FrozenDictionary<string, (string En, string Vi)> Sentences =
        new Dictionary<string, (string En, string Vi)>
        {
            [HeadersMissing] = ("The header {0} is missing: sign the request with the XroadVnpt-* HMAC scheme.", "Thiếu tiêu đề {0}: hãy ký yêu cầu theo cơ chế HMAC XroadVnpt-*."),
            [UnknownSystem] = ("No active client system has the id '{0}'.", "Không có hệ thống đang hoạt động nào có mã '{0}'."),
            [SignatureInvalid] = ("The request's signature is not valid: {0}", "Chữ ký của yêu cầu không hợp lệ: {0}"),
            [SecretNotSealed] = ("The client system {0} has no secret usable by the axis protocol: its secret must be set again (lgsp systems secret {0}).", "Hệ thống {0} chưa có khóa bí mật dùng được cho giao thức trục: cần đặt lại khóa bí mật (lgsp systems secret {0})."),
            [UnknownOperation] = ("'{0}' is not an operation of the axis protocol.", "'{0}' không phải thao tác của giao thức trục."),
            [HashFileMismatch] = ("The body does not match the signed hash-file {0}.", "Nội dung gửi lên không khớp với hash-file đã ký {0}."),
            [InvalidValue] = ("'{0}' is not a valid value here; expected {1}.", "'{0}' không phải giá trị hợp lệ; giá trị mong đợi: {1}."),
            [InternalError] = ("The hub could not process the request; try again later, and quote reference {0} if it persists.", "Hệ thống không xử lý được yêu cầu; vui lòng thử lại sau và cung cấp mã tham chiếu {0} nếu lỗi vẫn tiếp diễn."),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every code of this catalogue.</summary>
    public static IEnumerable<string> Codes => Sentences.Keys;

    /// <summary>An error of this catalogue or, for any other code, of <see cref="HubErrors"/>.</summary>
    /// <exception cref="ArgumentException">The code is in no catalogue.</exception>
    public static EdxmlError Create(string code, string field, params object?[] args) =>
        Sentences.TryGetValue(code, out var s)
            ? new EdxmlError(code, field, string.Format(CultureInfo.InvariantCulture, s.En, args), string.Format(CultureInfo.InvariantCulture, s.Vi, args))
            : HubErrors.Create(code, field, args);

    /// <summary>An authentication refusal (answered with HTTP 401).</summary>
    public static AxisAuthException Unauthorized(string code, string field, params object?[] args) => new(Create(code, field, args));

    /// <summary>An application refusal (answered with HTTP 200 and a FAIL envelope).</summary>
    public static ExchangeException Refused(string code, string field, params object?[] args) => new(Create(code, field, args));
}

/// <summary>The request could not be authenticated; answered with HTTP 401 and a FAIL envelope.</summary>
public sealed class AxisAuthException(EdxmlError error) : Exception($"{error.Code} {error.Field}: {error.Message}")
{
    /// <summary>The error.</summary>
    public EdxmlError Error { get; } = error;
}
