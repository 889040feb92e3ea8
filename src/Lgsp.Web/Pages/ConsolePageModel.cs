using Lgsp.Exchange.People;
using Lgsp.Web.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lgsp.Web.Pages;

/// <summary>What every console page model knows about the person reading it.</summary>
public abstract class ConsolePageModel : PageModel
{
    /// <summary>True when the signed-in user's role has <paramref name="right"/>.</summary>
    public bool Can(ConsoleRight right) => User.Can(right);

    /// <summary>The ledger actor for what the user does here: <c>user:NAME</c>.</summary>
    public string Actor => User.Actor();

    /// <summary>The agencies an agency clerk reads; empty for the roles that read everything.</summary>
    public IReadOnlyList<string> OwnAgencies => User.Agencies();

    /// <summary>Which documents the user reads, as the document store takes it: null for every
    /// document (the roles with <see cref="ConsoleRight.ReadAll"/>), else the clerk's own agencies.</summary>
    public IReadOnlyCollection<string>? DocumentScope => Can(ConsoleRight.ReadAll) ? null : OwnAgencies;

    /// <summary>Why the page's last action was refused, shown on the page.</summary>
    public string? Refused { get; protected set; }

    /// <summary>The page after an action: answered 422 when the action was refused, so that scripts see
    /// the refusal as well as people do.</summary>
    protected PageResult Answer()
    {
        if (Refused is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }
}
