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

    /// <summary>The memory budget of large requests in flight has no room for this one within its wait
    /// (HTTP 503, not 429: the hub is busy, not this caller too eager).</summary>
    public const string HubBusy = nameof(HubBusy);

    /// <summary>Every code.</summary>
    public static IEnumerable<string> Codes => [RateLimited, LoginLockedOut, HubBusy];

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
            HubBusy => new EdxmlError(code, "/",
                $"The hub is busy with other large requests (its memory budget is in use); try again in {seconds} s.",
                $"Hệ thống đang bận xử lý các yêu cầu lớn khác (đã dùng hết hạn mức bộ nhớ); vui lòng thử lại sau {seconds} giây."),
            _ => throw new ArgumentException($"'{code}' is not a limit code.", nameof(code)),
        };
    }

    /// <summary>Whole seconds for <c>Retry-After</c>, at least one.</summary>
    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
}

/// <summary>A request held off by a limit; the door answers <see cref="Status"/> (429, or 503 for
/// <see cref="LimitErrors.HubBusy"/>) with <see cref="RetryAfter"/>.</summary>
public sealed class LimitedException(string code, string limit, TimeSpan retryAfter) : Exception($"{code}: {limit}")
{
    /// <summary>The error code (<see cref="LimitErrors"/>).</summary>
    public string Code { get; } = code;

    /// <summary>Which limit (a metric label: <c>address</c>, <c>system</c>, <c>large-body</c>, <c>login</c>,
    /// <c>memory</c>).</summary>
    public string Limit { get; } = limit;

    /// <summary>How long to wait.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>The HTTP status of the answer.</summary>
    public int Status => Code == LimitErrors.HubBusy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
}
