using Lgsp.Web.Auth;
using Lgsp.Web.Auth.Sso;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lgsp.Web.Pages;

/// <summary>Starts a sign-in at the provincial single sign-on (a link, not a form: the console's
/// <c>form-action</c> policy would stop a form's redirect to the provider).</summary>
public sealed class SsoSignInModel(ConsoleSsoOptions sso) : PageModel
{
    /// <summary>Sends the browser to the provider, to come back to <paramref name="returnUrl"/>.</summary>
    /// <param name="returnUrl">The console page to open after signing in.</param>
    /// <param name="retry">1 when the sign-in starts over after an unknown signing key (only once).</param>
    public IActionResult OnGet(string? returnUrl, int? retry)
    {
        if (!sso.Enabled)
        {
            return NotFound();
        }

        var properties = new AuthenticationProperties { RedirectUri = ConsoleAuth.SafeReturnUrl(returnUrl) };
        if (retry == 1)
        {
            properties.Items[ConsoleSso.RetriedItem] = "1";
        }

        return Challenge(properties, ConsoleSso.Scheme);
    }
}
