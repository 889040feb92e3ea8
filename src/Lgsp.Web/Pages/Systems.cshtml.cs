using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>The client systems: each with its last call, policy, agencies and its refusals by code over
/// the last seven days (vendors' most common mistakes); operators add one or rotate its secret, which
/// is shown once.</summary>
[Requires(ConsoleRight.ReadAll)]
public sealed class SystemsModel(IDirectoryStore directory, ClientSystemAccounts accounts, TimeProvider clock, ConsoleText text) : ConsolePageModel
{
    /// <summary>How far back refusals are counted.</summary>
    public static readonly TimeSpan RefusalWindow = TimeSpan.FromDays(7);

    /// <summary>The systems, by id.</summary>
    public IReadOnlyList<ClientSystemSummary> Systems { get; private set; } = [];

    /// <summary>What the last action did.</summary>
    public string? Done { get; private set; }

    /// <summary>A secret made by the last action, shown once.</summary>
    public string? NewSecret { get; private set; }


    /// <summary>The add form.</summary>
    [BindProperty]
    public NewSystem Form { get; set; } = new();

    /// <summary>Lists the systems.</summary>
    public async Task OnGetAsync(CancellationToken ct) => Systems = await directory.ListClientSystemsAsync(clock.GetUtcNow() - RefusalWindow, ct);

    /// <summary>Adds a client system with a generated secret.</summary>
    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!Can(ConsoleRight.EditSystems))
        {
            return Forbid();
        }

        var agencies = (Form.Agencies ?? "").Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            var policy = Form.Policy == "legacy" ? PackagePolicy.Legacy : PackagePolicy.Strict;
            var (existed, secret) = await accounts.AddAsync(Form.Id ?? "", agencies, policy, Form.Auditor, null, Actor, ct);
            Done = existed ? text[$"Đã cập nhật hệ thống {Form.Id!.Trim()}.", $"Updated {Form.Id!.Trim()}."] : text[$"Đã thêm hệ thống {Form.Id!.Trim()}.", $"Added {Form.Id!.Trim()}."];
            NewSecret = secret;
            Form = new NewSystem();
            ModelState.Clear();
        }
        catch (ExchangeException refused)
        {
            Refused = text[refused.Error.MessageVi, refused.Error.Message];
        }

        return await PageAsync(ct);
    }

    /// <summary>Gives a system a new generated secret.</summary>
    public async Task<IActionResult> OnPostRotateAsync(string id, CancellationToken ct)
    {
        if (!Can(ConsoleRight.EditSystems))
        {
            return Forbid();
        }

        if (await accounts.RotateSecretAsync(id, Actor, ct) is { } secret)
        {
            Done = text[$"Khóa bí mật mới của {id} (khóa cũ ngừng hoạt động trong vòng một phút):", $"New secret for {id} (the old one stops working within a minute):"];
            NewSecret = secret;
        }
        else
        {
            Refused = text[$"Không có hệ thống {id}.", $"There is no system {id}."];
        }

        return await PageAsync(ct);
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        await OnGetAsync(ct);
        return Answer();
    }

    /// <summary>The add form.</summary>
    public sealed class NewSystem
    {
        /// <summary>The system's id (its HTTP Basic user name).</summary>
        public string? Id { get; set; }

        /// <summary>Agency codes, separated by commas or spaces.</summary>
        public string? Agencies { get; set; }

        /// <summary><c>strict</c> or <c>legacy</c>.</summary>
        public string? Policy { get; set; } = "strict";

        /// <summary>An auditor's system.</summary>
        public bool Auditor { get; set; }
    }
}
