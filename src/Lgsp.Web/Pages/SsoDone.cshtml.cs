using Lgsp.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lgsp.Web.Pages;

/// <summary>Where the single sign-on's callback lands once the console's cookie is set. The callback
/// comes from the provider's site, and a browser does not send a SameSite=Strict cookie along a
/// redirect chain that started elsewhere; this page moves on from the console's own origin, so the
/// next request carries the cookie.</summary>
public sealed class SsoDoneModel : PageModel
{
    /// <summary>Where to go: a console path only.</summary>
    public string ReturnUrl { get; private set; } = "/console/";

    /// <summary>Shows the page that moves on.</summary>
    public void OnGet(string? returnUrl) => ReturnUrl = ConsoleAuth.SafeReturnUrl(returnUrl);
}
