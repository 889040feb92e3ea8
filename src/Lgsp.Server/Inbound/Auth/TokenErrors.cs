using Lgsp.Edxml.Errors;

namespace Lgsp.Server.Inbound.Auth;

/// <summary>The refusals of gateway bearer tokens, the same on the SOAP and admin doors. Stable codes:
/// never rename one. The answer never says which check failed (the reason is counted and logged).</summary>
public static class TokenErrors
{
    /// <summary>The bearer token is malformed, expired or not yet valid, not signed by the provider's keys,
    /// for another issuer or audience, or names no active client system (HTTP 401).</summary>
    public const string InvalidToken = nameof(InvalidToken);

    /// <summary>A valid token of a client system that may not use the admin API (HTTP 403).</summary>
    public const string AdminRightRequired = nameof(AdminRightRequired);

    /// <summary>Every code.</summary>
    public static IEnumerable<string> Codes => [InvalidToken, AdminRightRequired];

    /// <summary>The <c>WWW-Authenticate</c> header of a refused token (RFC 6750).</summary>
    public const string InvalidTokenChallenge = "Bearer realm=\"lgsp\", error=\"invalid_token\"";

    /// <summary>The <c>WWW-Authenticate</c> header of a token without the admin right (RFC 6750).</summary>
    public const string AdminChallenge = "Bearer realm=\"lgsp admin\", error=\"insufficient_scope\"";

    /// <summary>The error for <paramref name="code"/>.</summary>
    public static EdxmlError Create(string code) => code switch
    {
        InvalidToken => new EdxmlError(code, "Authorization",
            "The bearer token is not accepted: it must be signed by the gateway's provider, meant for this hub, within its validity, and name an active client system.",
            "Mã thông báo (bearer token) không được chấp nhận: mã phải do máy chủ xác thực của cổng ký, cấp cho hệ thống này, còn hiệu lực và gắn với một hệ thống đang hoạt động."),
        AdminRightRequired => new EdxmlError(code, "Authorization",
            "This client system may not use the admin API.",
            "Hệ thống này không được phép sử dụng API quản trị."),
        _ => throw new ArgumentException($"'{code}' is not a token code.", nameof(code)),
    };
}

/// <summary>A bearer token refused; the door answers with <see cref="TokenRefusals"/>.</summary>
/// <param name="code">The answered code (<see cref="TokenErrors"/>).</param>
/// <param name="reason">Why, for the metric and the log (never answered): <c>malformed</c>,
/// <c>expired</c>, <c>not-yet-valid</c>, <c>signature</c>, <c>issuer</c>, <c>audience</c>,
/// <c>no-system-claim</c>, <c>unknown-system</c>, <c>keys-unavailable</c>, <c>no-admin-right</c>.</param>
/// <param name="detail">What the log adds (a system id, the library's message; never the token).</param>
public sealed class TokenRefusedException(string code, string reason, string detail) : Exception($"{code}: {reason}")
{
    /// <summary>The answered code.</summary>
    public string Code { get; } = code;

    /// <summary>The metric's reason label.</summary>
    public string Reason { get; } = reason;

    /// <summary>For the log.</summary>
    public string Detail { get; } = detail;
}
