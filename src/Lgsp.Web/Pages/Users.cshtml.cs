using Lgsp.Exchange.Errors;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>The console's users (administrators only): list, add, disable or enable, new password.
/// A password is shown once, when it is made.</summary>
[Requires(ConsoleRight.ManageUsers)]
public sealed class UsersModel(IConsoleUserStore users, ConsoleUserAccounts accounts, ConsoleText text) : ConsolePageModel
{
    /// <summary>Every user, by name.</summary>
    public IReadOnlyList<ConsoleUser> Users { get; private set; } = [];

    /// <summary>What the last action did, to show once.</summary>
    public string? Done { get; private set; }

    /// <summary>A password made by the last action, to show once.</summary>
    public string? NewPassword { get; private set; }


    /// <summary>The form's values after a refusal.</summary>
    [BindProperty]
    public NewUser Form { get; set; } = new();

    /// <summary>Lists the users.</summary>
    public async Task OnGetAsync(CancellationToken ct) => Users = await users.ListAsync(ct);

    /// <summary>Adds a user with a generated password.</summary>
    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (ConsoleRoles.Parse(Form.Role) is not { } role)
        {
            Refused = text["Hãy chọn vai trò.", "Choose a role."];
            return await PageAsync(ct);
        }

        var agencies = (Form.Agencies ?? "").Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            var (user, password) = await accounts.AddAsync(Form.Name ?? "", role, agencies, null, Actor, ct);
            Done = text[$"Đã thêm người dùng {user.Name}.", $"Added {user.Name}."];
            NewPassword = password;
            Form = new NewUser();
            ModelState.Clear();
        }
        catch (ExchangeException refused)
        {
            Refused = text[refused.Error.MessageVi, refused.Error.Message];
        }

        return await PageAsync(ct);
    }

    /// <summary>Disables or enables a user.</summary>
    public async Task<IActionResult> OnPostDisableAsync(string name, bool disabled, CancellationToken ct)
    {
        if (name == User.Identity!.Name && disabled)
        {
            Refused = text["Không thể tự vô hiệu hóa tài khoản của mình.", "You cannot disable your own account."];
        }
        else if (await users.SetDisabledAsync(name, disabled, Actor, ct))
        {
            Done = disabled ? text[$"Đã vô hiệu hóa {name}.", $"Disabled {name}."] : text[$"Đã kích hoạt lại {name}.", $"Enabled {name} again."];
        }
        else
        {
            Refused = text[$"Không có người dùng {name}.", $"There is no user {name}."];
        }

        return await PageAsync(ct);
    }

    /// <summary>Gives a user a new generated password.</summary>
    public async Task<IActionResult> OnPostPasswordAsync(string name, CancellationToken ct)
    {
        if (await accounts.ResetPasswordAsync(name, null, Actor, ct) is { } password)
        {
            Done = text[$"Mật khẩu mới của {name}:", $"New password for {name}:"];
            NewPassword = password;
        }
        else
        {
            Refused = text[$"Không có người dùng {name}.", $"There is no user {name}."];
        }

        return await PageAsync(ct);
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        Users = await users.ListAsync(ct);
        return Answer();
    }

    /// <summary>The add form.</summary>
    public sealed class NewUser
    {
        /// <summary>The sign-in name.</summary>
        public string? Name { get; set; }

        /// <summary>The role's word.</summary>
        public string? Role { get; set; }

        /// <summary>An agency clerk's agency codes, separated by commas or spaces.</summary>
        public string? Agencies { get; set; }
    }
}
