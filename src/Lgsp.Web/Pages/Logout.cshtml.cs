using Lgsp.Exchange.People;
using Lgsp.Web.Auth;
using Lgsp.Web.Auth.Sso;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lgsp.Web.Pages;

/// <summary>Signs out (POST only, with the antiforgery token, so no link on another site can). A single
/// sign-on user is also signed out at the provider when it has an end-session endpoint, and comes back
/// to the sign-in page from there.</summary>
public sealed class LogoutModel : PageModel
{
    /// <summary>Nothing to show: back to the overview.</summary>
    public IActionResult OnGet() => Redirect("/console/");

    /// <summary>Signs out.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        var back = new AuthenticationProperties { RedirectUri = "/console/login" };
        if (User.FindFirst(ConsoleAuth.SourceClaim)?.Value == SsoSignIn.Source && await ConsoleSso.SupportsSingleLogoutAsync(HttpContext))
        {
            return SignOut(back, ConsoleAuth.Scheme, ConsoleSso.Scheme);
        }

        await HttpContext.SignOutAsync(ConsoleAuth.Scheme);
        return Redirect("/console/login");
    }
}
