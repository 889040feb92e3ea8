using Lgsp.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lgsp.Web.Pages;

/// <summary>Signs out (POST only, with the antiforgery token, so no link on another site can).</summary>
public sealed class LogoutModel : PageModel
{
    /// <summary>Nothing to show: back to the overview.</summary>
    public IActionResult OnGet() => Redirect("/console/");

    /// <summary>Signs out.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleAuth.Scheme);
        return Redirect("/console/login");
    }
}
