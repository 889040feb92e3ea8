using System.CommandLine;
using System.Globalization;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Postgres.Ledger;
using Spectre.Console;

namespace Lgsp.Cli.Commands;

/// <summary>
/// <c>lgsp audit</c>: what an auditor runs. This file holds the group and <c>verify-ledger</c>;
/// other audit subcommands live in files of their own and join the group through
/// <see cref="AddSubcommands"/>.
/// </summary>
internal static partial class AuditCommands
{
    public static Command Create()
    {
        var hub = new HubCommandOptions();
        var audit = new Command("audit", "Check the hub's tamper-evident record.") { VerifyLedger(hub), AuditWitnessCommand.Create(hub) };
        AddSubcommands(audit, hub);
        return hub.AddTo(audit);
    }

    /// <summary>Where other audit subcommands are added (implemented in another file when there are any).</summary>
    static partial void AddSubcommands(Command audit, HubCommandOptions hub);

    private static Command VerifyLedger(HubCommandOptions hub)
    {
        var from = new Option<long>("--from")
        {
            Description = "Start at the checkpoint covering this seq, from its signed previous head (default: the whole ledger).",
            HelpName = "N",
        };
        var trust = new TrustArguments();
        var pin = new HubPinArguments("The hub's");
        var command = new Command("verify-ledger",
            "Re-walk the ledger's hash chain in the database and every checkpoint's signature; report the first break. "
            + "Every checkpoint must be signed by the hub's pinned certificate (--hub-cert/--hub-fingerprint; default: $Hub__CertificatePath, "
            + "else DIR/pki/org-hub-h56.pem) and chain to --trust (default: DIR/pki/root.pem when it exists).") { from };
        trust.AddTo(command);
        pin.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var start = parse.GetValue(from);
            if (start < 0)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "--from: must be 0 or more"));
            }

            var (roots, rootsSource) = Roots(parse, hub, trust);
            var (signer, pins, pinProblem) = pin.Pin(parse, new SignerCheck(roots), HubPinArguments.OwnCertificate(parse, hub));
            if (pinProblem is not null)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, pinProblem));
            }

            if (!signer!.IsPinned)
            {
                output.WriteLine("checkpoint signer: NOT pinned (no --hub-cert or --hub-fingerprint, no $Hub__CertificatePath, no DIR/pki/org-hub-h56.pem): "
                    + "a ledger re-sealed with any certificate under the root would hold, so it is not verified");
                return Task.FromResult(LgspCommand.Failed);
            }

            return hub.RunAsync(parse, async connection =>
            {
                var ledger = new PostgresLedger(connection.DataSource);
                var status = await ledger.StatusAsync(ct);
                output.WriteLine(roots is null
                    ? "checkpoint signer: NOT checked against a trust root (no --trust and no DIR/pki/root.pem): signatures are checked, not who made them"
                    : $"checkpoint signer must chain to {rootsSource}");
                output.WriteLine($"checkpoint signer pinned to {pins}");

                var verdict = await WalkAsync(ledger, signer, start, status.LastSeq, output, ct);
                if (verdict.Break is { } found)
                {
                    output.WriteLine($"ledger broken at seq {found.Seq}: {found.Problem}");
                    output.WriteLine($"checked before the break: {Count(verdict.SealedEntries, "sealed entry", "sealed entries")}, {Count(verdict.Checkpoints, "checkpoint", "checkpoints")}");
                    return LgspCommand.Failed;
                }

                output.WriteLine($"ledger holds: {Count(verdict.SealedEntries, "entry", "entries")}, {Count(verdict.Checkpoints, "checkpoint", "checkpoints")}, head {verdict.Head}");
                output.WriteLine($"not yet sealed: {Count(verdict.Unsealed, "entry", "entries")} after the last checkpoint");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    /// <summary>Walks the chain with a progress bar over the seq range.</summary>
    private static async Task<LedgerVerdict> WalkAsync(PostgresLedger ledger, SignerCheck signer, long from, long lastSeq, TextWriter output, CancellationToken ct)
    {
        LedgerVerdict? verdict = null;
        await Tables.Console(output).Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("verifying the ledger", maxValue: Math.Max(1, lastSeq - from));
                var progress = new Progress(seq => task.Value = Math.Max(task.Value, seq - from));
                verdict = await ledger.VerifyAsync(signer, from, progress, ct);
                task.Value = task.MaxValue;
            });
        return verdict!;
    }

    /// <summary>The trust roots: --trust, else the data directory's pki/root.pem, else none.</summary>
    private static (CertificateTrust? Trust, string Source) Roots(ParseResult parse, HubCommandOptions hub, TrustArguments trust)
    {
        // A checkpoint sealed years ago stays valid after the hub's certificate expires: chains are
        // checked at each checkpoint's sealing time, as the evidence bundle verifier does.
        if (trust.Build(parse, ValidityTime.SigningTime) is { } given)
        {
            return (given, string.Join(", ", (parse.GetValue(trust.Trust) ?? []).Select(f => f.Name)));
        }

        var directory = parse.GetValue(hub.Data) ?? System.Environment.GetEnvironmentVariable(HubConnection.DataDirectoryVariable) ?? HubConnection.DefaultDataDirectory;
        var root = Path.GetFullPath(Path.Combine(directory, "pki", "root.pem"));
        return File.Exists(root)
            ? (new CertificateTrust(new TrustOptions { Roots = TrustMaterial.LoadCertificates(root), Validity = ValidityTime.SigningTime }), root)
            : (null, "");
    }

    private static string Count(long n, string one, string many) => $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? one : many)}";

    /// <summary>Reports synchronously: the walk updates a progress task, not a UI thread.</summary>
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
