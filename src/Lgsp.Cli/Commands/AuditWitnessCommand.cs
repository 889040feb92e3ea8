using System.CommandLine;
using Lgsp.Cli.Hub;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Ledger;
using Lgsp.Postgres.Hosting;
using Lgsp.Postgres.Storage;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp audit witness-check</c>: compares a hub's current ledger with every chain head
/// its parent witnessed (docs/audit.md, "what witnessing adds").</summary>
internal static class AuditWitnessCommand
{
    /// <summary>The subcommand; <paramref name="hub"/> are the options of its <c>audit</c> group
    /// (<c>--database</c> is the audited hub's database).</summary>
    public static Command Create(HubCommandOptions hub)
    {
        var witnessDatabase = new Option<string>("--witness-database")
        {
            Description = "The witnessing (parent) hub's database, an Npgsql connection string: the heads it recorded are compared.",
            HelpName = "CONNECTION-STRING",
            Required = true,
        };
        var hubId = new Option<string?>("--hub")
        {
            Description = "The audited hub's id, as its checkpoints name it (default: the only hub the witness recorded heads for).",
            HelpName = "ID",
        };
        var trust = new TrustArguments();
        var pin = new HubPinArguments("The witnessing (parent) hub's");
        var command = new Command("witness-check",
            "Recompute the hub's chain from its current ledger and compare it with every head its parent witnessed, and with the countersignatures it stored "
            + "(each must be signed by the parent's pinned certificate, --hub-cert or --hub-fingerprint).")
        {
            witnessDatabase,
            hubId,
        };
        trust.AddTo(command);
        pin.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var certificateTrust = trust.Build(parse);
            var (signer, pins, pinProblem) = pin.Pin(parse, new SignerCheck(certificateTrust));
            if (pinProblem is not null)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, pinProblem));
            }

            if (!signer!.IsPinned)
            {
                output.WriteLine("witness signer: NOT pinned (no --hub-cert or --hub-fingerprint): a countersignature by any certificate under the root "
                    + "would be taken for the parent's, so the check is not made");
                return Task.FromResult(LgspCommand.Failed);
            }

            return hub.RunAsync(parse, async audited =>
        {
            await using var parent = await HubConnection.OpenAsync(
                new HubDatabaseLocation(parse.GetValue(witnessDatabase), null, "--witness-database"), parse.InvocationConfiguration.Error.WriteLine, ct);
            var recorded = await new PostgresWitnessStore(parent.DataSource).WitnessedHeadsAsync(parse.GetValue(hubId), ct);
            var hubs = recorded.Select(h => h.Hub).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (hubs.Count > 1)
            {
                return HubCommandOptions.Usage(parse, $"--hub: the witness recorded heads of several hubs ({string.Join(", ", hubs)}); name the audited one");
            }

            var auditedHub = parse.GetValue(hubId) ?? hubs.SingleOrDefault();
            var auditedStore = new PostgresWitnessStore(audited.DataSource);
            var verdict = await WitnessCheck.RunAsync(recorded, await auditedStore.CountersignaturesAsync(ct), signer, certificateTrust is not null, auditedHub,
                auditedStore.EntriesAsync, progress: null, ct);
            if (verdict.Problem is { } problem)
            {
                output.WriteLine(problem);
                return LgspCommand.Failed;
            }

            var countersignatures = verdict.Countersignatures;
            var name = auditedHub is null ? "the hub" : $"hub {auditedHub}";
            output.WriteLine($"{verdict.Matched} witnessed heads match ({recorded.Count} recorded by the witness, {countersignatures} countersignatures stored by {name}"
                + (certificateTrust is null && countersignatures > 0 ? "; countersignature certificate chains not checked without --trust" : "")
                + $"; witness signer pinned to {pins})");
            return LgspCommand.Ok;
        }, ct);
        });
        return command;
    }
}
