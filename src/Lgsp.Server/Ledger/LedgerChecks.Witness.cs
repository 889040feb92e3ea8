using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Ledger;

// witness-check from the console: the same check as `lgsp audit witness-check` (WitnessCheck), with
// what this hub holds: the countersignatures its parent gave, pinned to the parent's registered
// signing certificate and chained to this hub's trust roots, as the witnessing loop accepted them.
public sealed partial class LedgerChecks
{
    /// <inheritdoc />
    public async Task<WitnessCheckUnavailable?> WitnessUnavailableAsync(CancellationToken ct = default) =>
        Unavailable(await ParentAsync(ct));

    /// <inheritdoc />
    public async Task<LedgerCheckStart> StartWitnessCheckAsync(string startedBy, CancellationToken ct = default)
    {
        if (Unavailable(await ParentAsync(ct)) is not null)
        {
            return new LedgerCheckStart(null, false);
        }

        // The range shown: up to the last position a countersignature covers.
        var through = (await witnesses.CountersignaturesAsync(ct)).Select(c => c.LastSeq).DefaultIfEmpty(0).Max();
        var now = clock.GetUtcNow();
        if (await audit.StartCheckAsync(startedBy, 0, through, now, now - StaleAfter, LedgerCheckKind.WitnessCheck, ct) is { } started)
        {
            log.LogInformation("Ledger check {Id} (witness-check through seq {ToSeq}) started by {Actor}", started.Id, started.ToSeq, startedBy);
            await _runs.Writer.WriteAsync(started, ct);
            return new LedgerCheckStart(started, false);
        }

        return await RunningAsync(LedgerCheckKind.WitnessCheck, ct);
    }

    private async Task<Found> WitnessCheckAsync(IProgress<long> progress, CancellationToken ct)
    {
        var parent = await ParentAsync(ct);
        var roots = await trust.GetAsync(ct);
        if (parent?.SignerCheck(roots) is not { } signer)
        {
            throw new InvalidOperationException(Unavailable(parent)?.English ?? "no parent hub");
        }

        var verdict = await WitnessCheck.RunAsync([], await witnesses.CountersignaturesAsync(ct), signer, roots is not null, hub.Id,
            witnesses.EntriesAsync, progress, ct);
        return new Found(verdict.BreakSeq, verdict.Problem, verdict.EntriesWalked, verdict.Matched);
    }

    /// <summary>The parent link, active or not: countersignatures it gave while active still count.</summary>
    private async Task<HubLink?> ParentAsync(CancellationToken ct) =>
        (await directory.ListHubsAsync(ct)).FirstOrDefault(h => h.Role == HubRole.Parent);

    private static WitnessCheckUnavailable? Unavailable(HubLink? parent) => parent switch
    {
        null => new("Trục này không có trục cấp trên: không ai chứng thực sổ cái của nó, nên không có gì để đối chiếu.",
            "This hub has no parent hub: nobody witnesses its ledger, so there is nothing to compare."),
        { SigningCertificate: null } => new($"Trục cấp trên {parent.Id} chưa đăng ký chứng thư ký (lgsp hubs add --signing-cert): không thể kiểm tra chữ ký chứng thực.",
            $"The parent hub {parent.Id} has no registered signing certificate (lgsp hubs add --signing-cert): its countersignatures cannot be checked."),
        _ => null,
    };
}
