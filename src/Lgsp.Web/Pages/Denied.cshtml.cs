using Microsoft.AspNetCore.Http;

namespace Lgsp.Web.Pages;

/// <summary>Where a signed-in user lands when the role matrix says no: answered 403, so that scripts
/// see the refusal too.</summary>
public sealed class DeniedModel : ConsolePageModel
{
    /// <summary>Shows the refusal.</summary>
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
