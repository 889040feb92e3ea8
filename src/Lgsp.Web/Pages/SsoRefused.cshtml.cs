using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lgsp.Web.Pages;

/// <summary>A single sign-on the console refused: the provider's person has no console role, an agency
/// clerk no known agency, the account is disabled here, or the provider's answer failed a check. Nobody
/// is signed in; answered 403 so that scripts see the refusal too.</summary>
public sealed class SsoRefusedModel : PageModel
{
    /// <summary>Why: <c>role</c>, <c>agency</c>, <c>disabled</c>, <c>subject</c> or <c>token</c>.</summary>
    public string Reason { get; private set; } = "token";

    /// <summary>Shows the refusal.</summary>
    public void OnGet(string? reason)
    {
        Reason = reason ?? "token";
        Response.StatusCode = StatusCodes.Status403Forbidden;
    }
}
