using System.CommandLine;
using Lgsp.Cli.Hub;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
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
        var witnessDatabase = new Option<string?>("--witness-database")
        {
            Description = "The witnessing (parent) hub's database, an Npgsql connection string: the heads it recorded are compared.",
            HelpName = "CONNECTION-STRING",
        };
        var witnessUrl = new Option<string?>("--witness-url")
        {
            Description = "Instead of its database: the witnessing (parent) hub's axis endpoint, asked over the hub-to-hub channel for every "
                + "countersignature it issued to this hub (signed with this hub's link to it: its system id and sealed secret, --secret-key).",
            HelpName = "URL",
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
            witnessUrl,
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

            if ((parse.GetValue(witnessDatabase) is null) == (parse.GetValue(witnessUrl) is null))
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "give the witness as exactly one of --witness-database and --witness-url"));
            }

            if (!signer!.IsPinned)
            {
                output.WriteLine("witness signer: NOT pinned (no --hub-cert or --hub-fingerprint): a countersignature by any certificate under the root "
                    + "would be taken for the parent's, so the check is not made");
                return Task.FromResult(LgspCommand.Failed);
            }

            return hub.RunAsync(parse, async audited =>
        {
            IReadOnlyList<WitnessedHead> recorded = [];
            IReadOnlyList<StoredCountersignature> issued = [];
            var auditedHub = parse.GetValue(hubId);
            if (parse.GetValue(witnessUrl) is { } urlText)
            {
                if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    return HubCommandOptions.Usage(parse, $"--witness-url: {urlText} is not an absolute http(s) URL");
                }

                var (given, channelProblem) = await WitnessChannel.IssuedAsync(audited.Directory, hub.SecretBoxOf(parse), url, ct);
                if (channelProblem is not null)
                {
                    parse.InvocationConfiguration.Error.WriteLine(channelProblem);
                    return LgspCommand.Usage;
                }

                issued = given!;
            }
            else
            {
                await using var parent = await HubConnection.OpenAsync(
                    new HubDatabaseLocation(parse.GetValue(witnessDatabase), null, "--witness-database"), parse.InvocationConfiguration.Error.WriteLine, ct);
                recorded = await new PostgresWitnessStore(parent.DataSource).WitnessedHeadsAsync(auditedHub, ct);
                var hubs = recorded.Select(h => h.Hub).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (hubs.Count > 1)
                {
                    return HubCommandOptions.Usage(parse, $"--hub: the witness recorded heads of several hubs ({string.Join(", ", hubs)}); name the audited one");
                }

                auditedHub ??= hubs.SingleOrDefault();
            }

            var auditedStore = new PostgresWitnessStore(audited.DataSource);
            var verdict = await WitnessCheck.RunAsync(recorded, await auditedStore.CountersignaturesAsync(ct), signer, certificateTrust is not null, auditedHub,
                auditedStore.EntriesAsync, progress: null, ct, issued);
            if (verdict.Problem is { } problem)
            {
                output.WriteLine(problem);
                return LgspCommand.Failed;
            }

            var countersignatures = verdict.Countersignatures;
            var name = auditedHub is null ? "the hub" : $"hub {auditedHub}";
            var witnessSide = issued.Count > 0 || parse.GetValue(witnessUrl) is not null
                ? $"{issued.Count} countersignatures given by the witness over its channel"
                : $"{recorded.Count} recorded by the witness";
            output.WriteLine($"{verdict.Matched} witnessed heads match ({witnessSide}, {countersignatures} countersignatures stored by {name}"
                + (certificateTrust is null && countersignatures > 0 ? "; countersignature certificate chains not checked without --trust" : "")
                + $"; witness signer pinned to {pins})");
            return LgspCommand.Ok;
        }, ct);
        });
        return command;
    }
}
