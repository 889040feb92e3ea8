using System.CommandLine;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Directory;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp hubs ...</c>: the other hubs this one exchanges packages with (its parent and its
/// children).</summary>
internal static class HubsCommands
{
    public static Command Create()
    {
        var hub = new HubCommandOptions();
        return hub.AddTo(new Command("hubs", "The other hubs this one exchanges packages with: its parent (towards the national axis) and its children.")
        {
            Add(hub),
            List(hub),
        });
    }

    private static Command Add(HubCommandOptions hub)
    {
        var id = new Option<string>("--id") { Description = "The other hub's id, as it writes in its receipts and hops.", Required = true };
        var role = new Option<string>("--role") { Description = "parent (this hub forwards to it and pulls from it) or child (it pulls from this hub).", Required = true };
        var url = new Option<string?>("--url") { Description = "Its axis-protocol base URL, e.g. https://lgsp.example.gov.vn/vxp (required for a parent).", HelpName = "URL" };
        var system = new Option<string?>("--system") { Description = "The system id this hub presents when calling it (required for a parent).", HelpName = "ID" };
        var secret = new Option<string?>("--secret") { Description = "The secret this hub presents when calling it, sealed with the secret key (required for a new parent; kept when omitted).", HelpName = "S" };
        var inbound = new Option<string?>("--inbound-system") { Description = "The client system (lgsp systems add) the other hub uses when calling this one.", HelpName = "ID" };
        var disabled = new Option<bool>("--disabled") { Description = "Record the hub as disabled: nothing is routed to it and its inbound system no longer acts as it." };
        var signingCert = new Option<FileInfo?>("--signing-cert")
        {
            Description = "The certificate the other hub signs its checkpoints and countersignatures with (its Hub:CertificatePath; PEM or DER). "
                + "Witnessing accepts that hub's signatures only from it (kept when omitted).",
            HelpName = "FILE",
        };
        var policy = new Option<string?>("--policy")
        {
            Description = "How packages arriving over the link are judged: strict (the default: under the other hub's client system's policy) "
                + "or inherit (a package the previous hub accepted under legacy is accepted here under legacy, its verdict and receipt recorded). Kept when omitted.",
            HelpName = "strict|inherit",
        };
        var command = new Command("add", "Add a hub link, or update the one with that id. The secret is stored sealed and never printed.")
        {
            id, role, url, system, secret, inbound, disabled, signingCert, policy,
        };
        command.SetAction((parse, ct) =>
        {
            var hubId = parse.GetValue(id)!.Trim();
            if (hubId.Length == 0 || hubId.Any(c => c == ',' || char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"--id: '{hubId}' cannot be a hub id (non-empty, no commas, no spaces)"));
            }

            HubRole hubRole;
            switch (parse.GetValue(role)!.Trim().ToLowerInvariant())
            {
                case "parent":
                    hubRole = HubRole.Parent;
                    break;
                case "child":
                    hubRole = HubRole.Child;
                    break;
                default:
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--role: '{parse.GetValue(role)}' is not a role (parent or child)"));
            }

            Uri? baseUrl = null;
            if (parse.GetValue(url) is { } urlText)
            {
                baseUrl = AgencyImport.PushEndpoint(urlText.Trim());
                if (baseUrl is null)
                {
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--url: '{urlText}' is not an absolute http or https URL"));
                }
            }

            var given = parse.GetValue(secret);
            if (given is { Length: 0 })
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "--secret: the secret is empty"));
            }

            X509Certificate2? certificate = null;
            if (parse.GetValue(signingCert) is { } certificateFile)
            {
                try
                {
                    certificate = TrustMaterial.LoadCertificates(certificateFile.FullName)[0];
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--signing-cert: {ex.Message}"));
                }
            }

            LinkPolicy? linkPolicy = null;
            if (parse.GetValue(policy) is { } policyText)
            {
                if (!LinkPolicies.TryParse(policyText.Trim().ToLowerInvariant(), out var parsed))
                {
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--policy: '{policyText}' is not a link policy (strict or inherit)"));
                }

                linkPolicy = parsed;
            }

            return hub.RunAsync(parse, async connection =>
            {
                var existing = await connection.Directory.FindHubAsync(hubId, ct);
                var sealedSecret = given is null ? existing?.SealedSecret : hub.SecretBoxOf(parse).Seal(given);
                var link = new HubLink(hubId, hubRole, baseUrl, Trimmed(parse.GetValue(system)), sealedSecret, Trimmed(parse.GetValue(inbound)), !parse.GetValue(disabled))
                {
                    SigningCertificate = certificate ?? existing?.SigningCertificate,
                    Policy = linkPolicy ?? existing?.Policy ?? LinkPolicy.Strict,
                };
                await connection.Directory.SaveHubAsync(link, hub.ActorOf(parse), ct);
                parse.InvocationConfiguration.Output.WriteLine(
                    $"{(existing is null ? "added" : "updated")} hub {hubId} ({Words(link)}{(link.BaseUrl is null ? "" : ", at " + link.BaseUrl)}{(link.Active ? "" : ", disabled")}"
                    + (link.SigningCertificate is { } signer ? $", signing certificate {signer.Subject} sha256 {SignerCheck.Fingerprint(signer)}" : ", no signing certificate: witnessing with it is refused")
                    + $", link policy {LinkPolicies.Word(link.Policy)})");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command List(HubCommandOptions hub)
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List the hub links, by id (never their secrets).") { json };
        command.SetAction((parse, ct) => hub.RunAsync(parse, async connection =>
        {
            var hubs = await connection.Directory.ListHubsAsync(ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                Findings.WriteJson(output, hubs.Select(h => new
                {
                    id = h.Id,
                    role = Words(h),
                    url = h.BaseUrl?.ToString(),
                    system = h.SystemId,
                    secretSet = h.SealedSecret is not null,
                    inboundSystem = h.InboundSystem,
                    active = h.Active,
                    signingCertSha256 = h.SigningCertificate is { } c ? SignerCheck.Fingerprint(c) : null,
                    policy = LinkPolicies.Word(h.Policy),
                }));
                return LgspCommand.Ok;
            }

            var table = Tables.Create("id", "role", "url", "system", "secret", "inbound system", "active", "signing cert (sha256)", "policy");
            foreach (var h in hubs)
            {
                table.AddText(h.Id, Words(h), h.BaseUrl?.ToString(), h.SystemId, h.SealedSecret is null ? "not set" : "set", h.InboundSystem, h.Active ? "yes" : "no",
                    h.SigningCertificate is { } c ? SignerCheck.Fingerprint(c)[..16] + "…" : "not set", LinkPolicies.Word(h.Policy));
            }

            Tables.Console(output).Write(table);
            output.WriteLine($"{hubs.Count} {(hubs.Count == 1 ? "hub" : "hubs")}");
            return LgspCommand.Ok;
        }, ct));
        return command;
    }

    private static string Words(HubLink hub) => hub.Role == HubRole.Parent ? "parent" : "child";

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
