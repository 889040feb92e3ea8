using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>What the ledger-check fragment shows: a run (running or finished), and whether the start
/// asked for found it already running.</summary>
/// <param name="Run">The run; null when none runs.</param>
/// <param name="AlreadyRunning">True when a start was asked while <paramref name="Run"/> ran.</param>
/// <param name="Kind">Which check the fragment follows (its element id).</param>
public sealed record LedgerCheckView(LedgerCheckRun? Run, bool AlreadyRunning, LedgerCheckKind Kind = LedgerCheckKind.VerifyLedger)
{
    /// <summary>The fragment's element id: one per kind, so both checks can be followed at once.</summary>
    public string ElementId => (Run?.Kind ?? Kind) == LedgerCheckKind.WitnessCheck ? "witness-check" : "ledger-check";
}

/// <summary>The audit screen: the ledger head, the last checkpoint and the last countersigned one;
/// verify-ledger and witness-check started here and run by the hub in the background (their progress
/// polled, their result stored); and the console's own action log (entries whose actor is <c>user:NAME</c>).</summary>
[Requires(ConsoleRight.ReadAll)]
public sealed class AuditModel(ILedgerAudit audit, IHubFigures figures, ILedgerChecks checks) : ConsolePageModel
{
    /// <summary>Console actions per page.</summary>
    public const int PageSize = 50;

    /// <summary>Check runs listed.</summary>
    public const int ChecksShown = 20;

    /// <summary>The ledger head and last checkpoint.</summary>
    public LedgerHead? Head { get; private set; }

    /// <summary>Sealing and witnessing (the overview's figures).</summary>
    public SealFigures? Seal { get; private set; }

    /// <summary>The latest check runs, newest first; empty without RunLedgerChecks.</summary>
    public IReadOnlyList<LedgerCheckRun> Checks { get; private set; } = [];

    /// <summary>The fragment: the running check, or the one just asked for.</summary>
    public LedgerCheckView Current { get; private set; } = new(null, false);

    /// <summary>The witness-check fragment: the running one, or the one just asked for.</summary>
    public LedgerCheckView CurrentWitness { get; private set; } = new(null, false, LedgerCheckKind.WitnessCheck);

    /// <summary>Why witness-check cannot run on this hub; null when it can.</summary>
    public WitnessCheckUnavailable? WitnessUnavailable { get; private set; }

    /// <summary>This page of console actions.</summary>
    public ConsoleActionPage Actions { get; private set; } = new([], null);

    /// <summary>Where this page of actions starts (exclusive seq); null for the newest.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    /// <summary>Reads the screen.</summary>
    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(null, ct);

    /// <summary>The check fragment for htmx polling: the run's progress, then its result.</summary>
    public async Task<IActionResult> OnGetCheckAsync(long id, CancellationToken ct)
    {
        if (!Can(ConsoleRight.RunLedgerChecks))
        {
            return Forbid();
        }

        return await audit.CheckAsync(id, ct) is { } run ? Partial("_LedgerCheck", new LedgerCheckView(run, false)) : NotFound();
    }

    /// <summary>Starts verify-ledger in the hub as the signed-in user, unless one runs: answers with
    /// the fragment to htmx, with the whole page otherwise.</summary>
    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        if (!Can(ConsoleRight.RunLedgerChecks))
        {
            return Forbid();
        }

        var start = await checks.StartVerifyAsync(Actor, ct);
        var view = new LedgerCheckView(start.Run, start.AlreadyRunning);
        if (Request.Headers.ContainsKey("HX-Request"))
        {
            return Partial("_LedgerCheck", view);
        }

        await LoadAsync(view, ct);
        return Page();
    }

    /// <summary>Starts witness-check in the hub as the signed-in user, unless one runs or the hub has no
    /// parent to compare with (the page then says why).</summary>
    public async Task<IActionResult> OnPostWitnessAsync(CancellationToken ct)
    {
        if (!Can(ConsoleRight.RunLedgerChecks))
        {
            return Forbid();
        }

        var start = await checks.StartWitnessCheckAsync(Actor, ct);
        var view = new LedgerCheckView(start.Run, start.AlreadyRunning, LedgerCheckKind.WitnessCheck);
        if (Request.Headers.ContainsKey("HX-Request"))
        {
            return Partial("_LedgerCheck", view);
        }

        await LoadAsync(null, ct);
        CurrentWitness = view;
        return Page();
    }

    /// <summary>The link to the next page of actions.</summary>
    public string NextUrl(long next) => $"/console/audit?before={next.ToString(System.Globalization.CultureInfo.InvariantCulture)}#console-actions";

    private async Task LoadAsync(LedgerCheckView? current, CancellationToken ct)
    {
        Head = await audit.HeadAsync(ct);
        Seal = await figures.SealAsync(ct);
        Actions = await audit.ConsoleActionsAsync(Before, PageSize, ct);
        if (Can(ConsoleRight.RunLedgerChecks))
        {
            Checks = await audit.ChecksAsync(ChecksShown, ct);
            Current = current ?? new LedgerCheckView(Checks.FirstOrDefault(c => c.Running && c.Kind == LedgerCheckKind.VerifyLedger), false);
            CurrentWitness = new LedgerCheckView(Checks.FirstOrDefault(c => c.Running && c.Kind == LedgerCheckKind.WitnessCheck), false, LedgerCheckKind.WitnessCheck);
            WitnessUnavailable = await checks.WitnessUnavailableAsync(ct);
        }
    }
}
