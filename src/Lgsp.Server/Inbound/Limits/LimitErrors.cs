using System.Globalization;
using Lgsp.Edxml.Errors;

namespace Lgsp.Server.Inbound.Limits;

/// <summary>The refusals of the hub's limits, the same on every door (HTTP 429 with <c>Retry-After</c>).
/// Stable codes: never rename one.</summary>
public static class LimitErrors
{
    /// <summary>Too many requests from this address or client system, or too many large bodies at once.</summary>
    public const string RateLimited = nameof(RateLimited);

    /// <summary>Too many failed logins for this id or from this address; no secret is checked until the
    /// lockout ends.</summary>
    public const string LoginLockedOut = nameof(LoginLockedOut);

    /// <summary>Every code.</summary>
    public static IEnumerable<string> Codes => [RateLimited, LoginLockedOut];

    /// <summary>The error for <paramref name="code"/>, naming the seconds to wait.</summary>
    public static EdxmlError Create(string code, TimeSpan retryAfter)
    {
        var seconds = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        return code switch
        {
            RateLimited => new EdxmlError(code, "/",
                $"Too many requests: the hub's limit for this caller is reached; try again in {seconds} s.",
                $"Quá nhiều yêu cầu: đã vượt giới hạn của hệ thống cho bên gọi này; vui lòng thử lại sau {seconds} giây."),
            LoginLockedOut => new EdxmlError(code, "Authorization",
                $"Too many failed logins for this id or from this address; no login is checked for {seconds} s.",
                $"Đăng nhập sai quá nhiều lần với mã này hoặc từ địa chỉ này; không kiểm tra đăng nhập trong {seconds} giây."),
            _ => throw new ArgumentException($"'{code}' is not a limit code.", nameof(code)),
        };
    }

    /// <summary>Whole seconds for <c>Retry-After</c>, at least one.</summary>
    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
}

/// <summary>A request held off by a limit; the door answers 429 with <see cref="RetryAfter"/>.</summary>
public sealed class LimitedException(string code, string limit, TimeSpan retryAfter) : Exception($"{code}: {limit}")
{
    /// <summary>The error code (<see cref="LimitErrors"/>).</summary>
    public string Code { get; } = code;

    /// <summary>Which limit (a metric label: <c>address</c>, <c>system</c>, <c>large-body</c>, <c>login</c>).</summary>
    public string Limit { get; } = limit;

    /// <summary>How long to wait.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
