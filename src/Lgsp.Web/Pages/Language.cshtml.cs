using Lgsp.Web.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lgsp.Web.Pages;

/// <summary>The language switch: keeps the choice in a cookie for a year and goes back.</summary>
public sealed class LanguageModel : PageModel
{
    /// <summary>Sets the language (<c>vi</c> or <c>en</c>).</summary>
    public IActionResult OnGet(string? lang, string? returnUrl)
    {
        Response.Cookies.Append(ConsoleText.LanguageCookie, lang == "en" ? "en" : "vi", new CookieOptions
        {
            Path = "/console", MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true,
            Secure = Request.IsHttps,
        });
        return LocalRedirect(returnUrl is { } url && url.StartsWith("/console", StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : "/console/");
    }
}
