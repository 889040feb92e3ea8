using System.CommandLine;
using Lgsp.Cli.Hub;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Evidence;
using Lgsp.Postgres.Evidence;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp audit export</c> and <c>lgsp audit verify</c>: a document's evidence bundle, made
/// from the hub's database and checked offline with nothing but the bundle and a trust root.</summary>
internal static partial class AuditCommands
{
    static partial void AddSubcommands(Command audit, HubCommandOptions hub)
    {
        audit.Subcommands.Add(Export(hub));
        audit.Subcommands.Add(Verify());
    }

    /// <summary><c>lgsp audit export DOCUMENT-ID --out bundle.zip</c>.</summary>
    public static Command Export(HubCommandOptions hub)
    {
        var documentId = new Argument<string>("DOCUMENT-ID") { Description = "The document's DocumentId." };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the bundle (a zip).", Required = true, HelpName = "BUNDLE.zip" };
        var withoutContent = new Option<bool>("--without-content") { Description = "Leave the packages' bytes out; the bundle keeps their hashes, entries and receipts." };
        var signing = new ExportSigningArguments();
        var command = new Command("export", "Export a document's evidence bundle: its packages (or their hashes), ledger entries with their hash paths, "
            + "the signed checkpoints covering them, every receipt, the hub's certificate chain, and the export statement signed with the hub's key "
            + "(every entry of the document up to the ledger's head).") { documentId, output, withoutContent };
        signing.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            if (signing.Load(parse, hub) is not { } key)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            return hub.RunAsync(parse, async connection =>
        {
            var id = parse.GetValue(documentId)!.Trim();
            EvidenceBundle bundle;
            try
            {
                bundle = await new PostgresEvidenceExport(connection.DataSource, TimeProvider.System)
                    .ExportAsync(id, !parse.GetValue(withoutContent), key.Certificate, key.Chain, ct);
            }
            catch (EntriesNotSealedException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                return LgspCommand.Failed;
            }

            var file = parse.GetValue(output)!;
            var zip = bundle.Write();
            await File.WriteAllBytesAsync(file.FullName, zip, ct);
            parse.InvocationConfiguration.Output.WriteLine(
                $"wrote {file.FullName} ({zip.Length} bytes): {bundle.Packages.Count} package(s){(bundle.ContentIncluded ? "" : " (hashes only)")}, "
                + $"{bundle.Entries.Count} ledger entries, {bundle.Checkpoints.Count} checkpoint(s), hub {bundle.Hub}; statement signed by {key.Certificate.Subject}");
            return LgspCommand.Ok;
        }, ct);
        });
        return command;
    }

    /// <summary><c>lgsp audit verify BUNDLE --trust ROOT.pem --hub-cert HUB.pem</c>: offline, no database.</summary>
    public static Command Verify()
    {
        var bundle = new Argument<FileInfo>("BUNDLE") { Description = "The evidence bundle (zip) to verify." };
        var trust = new Option<FileInfo[]>("--trust")
        {
            Description = "A trusted root certificate (PEM or DER; repeat for several, e.g. the national root for peer hubs' receipts).",
            Required = true,
            HelpName = "ROOT.pem",
        };
        var crl = new Option<FileInfo[]>("--crl") { Description = "A CRL to check the hub's and peer hubs' certificates against (repeat for several).", HelpName = "FILE" };
        var pin = new HubPinArguments("The exporting hub's");
        var command = new Command("verify", "Verify an evidence bundle offline with nothing but the bundle, the trust root and the hub's pinned signing certificate: "
            + "its form, checkpoint signatures, the signed export statement (nothing left out), entries and hash paths, package hashes and receipts.") { bundle, trust, crl };
        pin.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (HubCommandOptions.ExistingFile(parse, parse.GetValue(bundle)!) is not { } file)
            {
                return LgspCommand.Usage;
            }

            ICertificateTrust roots;
            try
            {
                roots = new CertificateTrust(new TrustOptions
                {
                    Roots = [.. parse.GetValue(trust)!.SelectMany(f => TrustMaterial.LoadCertificates(f.FullName))],
                    Crls = [.. (parse.GetValue(crl) ?? []).SelectMany(f => TrustMaterial.LoadCrls(f.FullName))],
                    Validity = ValidityTime.SigningTime,
                });
            }
            catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or Lgsp.Edxml.Errors.EdxmlFormatException)
            {
                error.WriteLine($"--trust/--crl: {ex.Message}");
                return LgspCommand.Usage;
            }

            var (hubSigner, pins, pinProblem) = pin.Pin(parse, new Lgsp.Edxml.Signatures.SignerCheck(roots));
            if (pinProblem is not null)
            {
                error.WriteLine(pinProblem);
                return LgspCommand.Usage;
            }

            output.WriteLine(hubSigner!.IsPinned
                ? $"hub signer pinned to {pins}"
                : "hub signer: NOT pinned (no --hub-cert or --hub-fingerprint): the bundle cannot be verified");
            var verdict = EvidenceVerifier.Verify(File.ReadAllBytes(file.FullName), hubSigner);
            foreach (var proved in verdict.Proved)
            {
                output.WriteLine($"ok  {proved}");
            }

            if (!verdict.Holds)
            {
                output.WriteLine($"FAIL {verdict.Failure}");
                output.WriteLine($"bundle does not hold: {verdict.Failure}");
                return LgspCommand.Failed;
            }

            output.WriteLine($"bundle holds: {file.Name} verified offline against the given root(s) and the pinned hub certificate");
            return LgspCommand.Ok;
        });
        return command;
    }
}
