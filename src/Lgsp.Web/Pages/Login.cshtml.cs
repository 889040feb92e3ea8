using Lgsp.Exchange.People;
using Lgsp.Web.Auth;
using Lgsp.Web.Auth.Sso;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace Lgsp.Web.Pages;

/// <summary>Sign-in with a local console account, and the way to the provincial single sign-on when
/// it is configured. Unknown names and wrong passwords get the same
/// answer; a locked-out user is told until when.</summary>
public sealed class LoginModel(ConsoleSignIn signIn, ConsoleText text, ConsoleSsoOptions sso, ILogger<LoginModel> log) : PageModel
{
    /// <summary>True when the provincial single sign-on is configured: its button is offered.</summary>
    public bool SsoEnabled => sso.Enabled;

    /// <summary>The single sign-on's start, carrying the return URL.</summary>
    public string SsoUrl => "/console/sso/signin?returnUrl=" + Uri.EscapeDataString(SafeReturnUrl());

    /// <summary>Where to go after signing in (a console path only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The name typed, shown again after a failure.</summary>
    public string? Name { get; private set; }

    /// <summary>Why the last attempt failed.</summary>
    public string? Message { get; private set; }

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Checks the name and password.</summary>
    public async Task<IActionResult> OnPostAsync(string? name, string? password, CancellationToken ct)
    {
        Name = name?.Trim();
        var result = await signIn.SignInAsync(Name ?? "", password ?? "", ct);
        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(result.User!));
                log.LogInformation("Console user {User} signed in", result.User!.Name);
                return LocalRedirect(SafeReturnUrl());
            case SignInOutcome.LockedOut:
                Message = text[$"Tài khoản tạm khóa do đăng nhập sai nhiều lần, đến {text.Time(result.LockedUntil)}.",
                    $"Too many failed sign-ins: the account is locked until {text.Time(result.LockedUntil)}."];
                log.LogWarning("Console sign-in refused for {User}: locked until {Until}", Name, result.LockedUntil);
                break;
            case SignInOutcome.Disabled:
                Message = text["Tài khoản đã bị vô hiệu hóa. Liên hệ quản trị viên.", "This account is disabled. Ask an administrator."];
                log.LogWarning("Console sign-in refused for {User}: disabled", Name);
                break;
            default:
                Message = text["Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong user name or password."];
                log.LogWarning("Console sign-in refused for {User}: wrong name or password", Name);
                break;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    private string SafeReturnUrl() => ConsoleAuth.SafeReturnUrl(ReturnUrl);
}
