using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Lgsp.Web.Text;

/// <summary>The console's language and how it writes times and numbers for the person reading.
/// Vietnamese by default; English when the person chose it (the <c>lgsp-lang</c> cookie, set by the
/// switch in the header). Every page writes its words as <c>@T["Vietnamese", "English"]</c>, side by
/// side, so a missing translation shows in review, not in production.</summary>
/// <remarks>One per request.</remarks>
public sealed class ConsoleText(IHttpContextAccessor http)
{
    /// <summary>The cookie that keeps the chosen language.</summary>
    public const string LanguageCookie = "lgsp-lang";

    /// <summary>The time zone every time is shown in: the province's.</summary>
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>True when the person reads English.</summary>
    public bool IsEnglish => http.HttpContext?.Request.Cookies[LanguageCookie] == "en";

    /// <summary>The page's <c>lang</c>: <c>vi</c> or <c>en</c>.</summary>
    public string Language => IsEnglish ? "en" : "vi";

    /// <summary>The culture numbers are written in.</summary>
    public CultureInfo Culture => IsEnglish ? English : Vietnamese;

    /// <summary>The sentence in the person's language.</summary>
    public string this[string vietnamese, string english] => IsEnglish ? english : vietnamese;

    /// <summary>A time as <c>dd/MM/yyyy HH:mm</c> in Asia/Ho_Chi_Minh; empty for none.</summary>
    public string Time(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, Zone).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) : "";

    /// <summary>A time to the second, for timelines where order within a minute matters.</summary>
    public string TimeToSecond(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, Zone).ToString("dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture) : "";

    /// <summary>A count with the language's digit grouping (1.234 or 1,234).</summary>
    public string Count(long value) => value.ToString("N0", Culture);

    /// <summary>A size in bytes as people read it (KB, MB).</summary>
    public string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", Culture) + " KB",
        _ => (bytes / 1048576.0).ToString("0.#", Culture) + " MB",
    };
}
