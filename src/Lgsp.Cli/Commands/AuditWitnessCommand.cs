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
            var heads = new List<WitnessedHead>(recorded);
            var countersignatures = 0;
            foreach (var stored in await auditedStore.CountersignaturesAsync(ct))
            {
                var verdict = Witness.Verify(stored.Xml, signer);
                if (verdict.Witness is not { } witness || (certificateTrust is not null && !verdict.IsTrusted) || !signer.Admits(verdict.Signer!))
                {
                    output.WriteLine($"countersignature by {stored.Witness} for seq {stored.LastSeq} does not hold: {verdict.Problem}");
                    return LgspCommand.Failed;
                }

                if (auditedHub is not null && witness.Hub != auditedHub)
                {
                    output.WriteLine($"countersignature by {stored.Witness} for seq {stored.LastSeq} is for hub {witness.Hub}, not the audited hub {auditedHub}");
                    return LgspCommand.Failed;
                }

                heads.Add(new WitnessedHead(witness.Hub, witness.LastSeq, witness.Head, witness.WitnessHub, witness.WitnessedAt, "countersignature stored by the hub"));
                countersignatures++;
            }

            var check = new WitnessedHeadCheck(heads);
            await foreach (var entry in auditedStore.EntriesAsync(check.ThroughSeq, ct))
            {
                if (check.Add(entry) is not null)
                {
                    break;
                }
            }

            if ((check.Break ?? check.Complete()) is { } found)
            {
                output.WriteLine(found.Problem);
                return LgspCommand.Failed;
            }

            var name = auditedHub is null ? "the hub" : $"hub {auditedHub}";
            output.WriteLine($"{check.Matched} witnessed heads match ({recorded.Count} recorded by the witness, {countersignatures} countersignatures stored by {name}"
                + (certificateTrust is null && countersignatures > 0 ? "; countersignature certificate chains not checked without --trust" : "")
                + $"; witness signer pinned to {pins})");
            return LgspCommand.Ok;
        }, ct);
        });
        return command;
    }
}
