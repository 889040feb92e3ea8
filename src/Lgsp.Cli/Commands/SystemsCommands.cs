using System.CommandLine;
using System.Security.Cryptography;
using Lgsp.Cli.Hub;
using Lgsp.Exchange.Directory;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp systems ...</c>: the client systems (agencies' document-management software)
/// that may call the hub.</summary>
internal static class SystemsCommands
{
    /// <summary>Random bytes in a generated secret (256 bits).</summary>
    private const int SecretBytes = 32;

    public static Command Create()
    {
        var hub = new HubCommandOptions();
        return hub.AddTo(new Command("systems", "Client systems: the agencies' document-management software that calls the hub.") { Add(hub), Secret(hub) });
    }

    private static Command Add(HubCommandOptions hub)
    {
        var id = new Option<string>("--id") { Description = "The system's id (its HTTP Basic user name).", Required = true };
        var secret = new Option<string?>("--secret") { Description = "Its secret (HTTP Basic password). Default: a random one, printed once.", HelpName = "S" };
        var agencies = new Option<string[]>("--agency")
        {
            Description = "An agency it may send as and receive for (repeat for several; required unless --auditor).",
            HelpName = "CODE",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var policy = new Option<string>("--policy") { Description = "How its packages are judged: strict (a trusted signature by a registered certificate) or legacy.", DefaultValueFactory = _ => "strict" };
        var auditor = new Option<bool>("--auditor") { Description = "An auditor's system: it may trace any document (GetTrace), not only its agencies' own." };
        var command = new Command("add", "Add a client system, or replace its secret, policy, agencies and role. The secret is stored hashed (SOAP) and sealed with the hub's secret key (the axis protocol's HMAC).") { id, secret, agencies, policy, auditor };
        command.SetAction((parse, ct) =>
        {
            var systemId = parse.GetValue(id)!.Trim();
            if (systemId.Length == 0 || systemId.Any(c => c == ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"--id: '{systemId}' cannot be an HTTP Basic user name (non-empty, no colon, no spaces)"));
            }

            var given = parse.GetValue(secret);
            if (given is not null && given.Length == 0)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "--secret: the secret is empty"));
            }

            PackagePolicy packagePolicy;
            switch (parse.GetValue(policy)!.Trim().ToLowerInvariant())
            {
                case "strict":
                    packagePolicy = PackagePolicy.Strict;
                    break;
                case "legacy":
                    packagePolicy = PackagePolicy.Legacy;
                    break;
                default:
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--policy: '{parse.GetValue(policy)}' is not a policy (strict or legacy)"));
            }

            var isAuditor = parse.GetValue(auditor);
            var codes = new List<string>();
            var agencyTexts = parse.GetValue(agencies) ?? [];
            if (agencyTexts.Length == 0 && !isAuditor)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "--agency: a client system acts for at least one agency (or give --auditor)"));
            }

            foreach (var text in agencyTexts)
            {
                if (hub.KnownCode(parse, text, "--agency") is not { } code)
                {
                    return Task.FromResult(LgspCommand.Usage);
                }

                if (!codes.Contains(code))
                {
                    codes.Add(code);
                }
            }

            var plain = given ?? NewSecret();
            var box = hub.SecretBoxOf(parse);
            return hub.RunAsync(parse, async connection =>
            {
                var existed = await connection.Directory.FindClientSystemAsync(systemId, ct) is not null;
                await connection.Directory.SaveClientSystemAsync(systemId, SecretHash.Hash(plain), box.Seal(plain), packagePolicy, codes, hub.ActorOf(parse), ct, auditor: isAuditor);
                var output = parse.InvocationConfiguration.Output;
                var scope = codes.Count == 0 ? "no agency" : string.Join(", ", codes);
                output.WriteLine($"{(existed ? "updated" : "added")} {systemId} ({packagePolicy.ToString().ToLowerInvariant()}{(isAuditor ? ", auditor: may trace any document" : "")}) for {scope}");
                if (given is null)
                {
                    output.WriteLine($"secret: {plain}");
                    output.WriteLine("(shown once: give it to the system's operator now)");
                }

                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command Secret(HubCommandOptions hub)
    {
        var id = new Argument<string>("ID") { Description = "The system's id." };
        var command = new Command("secret", "Give a client system a new random secret (needed once by systems registered before secrets were sealed, to use the axis protocol) and print it.") { id };
        command.SetAction((parse, ct) =>
        {
            var systemId = parse.GetValue(id)!.Trim();
            var plain = NewSecret();
            var box = hub.SecretBoxOf(parse);
            return hub.RunAsync(parse, async connection =>
            {
                if (!await connection.Directory.SetClientSecretAsync(systemId, SecretHash.Hash(plain), box.Seal(plain), hub.ActorOf(parse), ct))
                {
                    hub.WriteError(parse, Exchange.Errors.HubErrors.Create(Exchange.Errors.HubErrorCode.NotFound, "ID", "ID", systemId));
                    return LgspCommand.Failed;
                }

                var output = parse.InvocationConfiguration.Output;
                output.WriteLine($"new secret for {systemId}: {plain}");
                output.WriteLine("(shown once: give it to the system's operator now; the old secret no longer works)");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
