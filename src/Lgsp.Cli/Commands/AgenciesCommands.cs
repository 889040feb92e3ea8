using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Directory;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp agencies ...</c>: the hub's directory of agencies.</summary>
internal static partial class AgenciesCommands
{
    public static Command Create()
    {
        var hub = new HubCommandOptions();
        return hub.AddTo(new Command("agencies", "The hub's directory of agencies: add, list, import, retire, register signer certificates, decide client systems' registrations.")
        {
            Add(hub),
            List(hub),
            Import(hub),
            Retire(hub),
            Pending(hub),
            Decide(hub, approve: true),
            Decide(hub, approve: false),
            new Command("cert", "Signer certificates registered for an agency.") { CertAdd(hub) },
        });
    }

    private static Command Add(HubCommandOptions hub)
    {
        var code = new Argument<string>("CODE") { Description = "The agency code (mã định danh), e.g. 000.00.01.H56." };
        var name = new Option<string?>("--name") { Description = "The agency's name (required for a new agency)." };
        var tier = new Option<string?>("--tier") { Description = $"Its tier (required for a new agency): {string.Join(", ", AgencyTier.All)}." };
        var parent = new Option<string?>("--parent") { Description = "Its parent agency's code (already in the directory); \"\" clears it.", HelpName = "CODE" };
        var push = new Option<string?>("--push") { Description = "The absolute http(s) URL the hub pushes its documents to (default: the agency pulls); \"\" makes it pull.", HelpName = "URL" };
        var servedBy = new Option<string?>("--served-by") { Description = "The hub that serves it (lgsp hubs add): a child hub, or the parent; default: this hub; \"\" clears it.", HelpName = "HUB" };
        var nonStandard = new Option<bool>("--nonstandard")
        {
            Description = "CODE follows neither code form (e.g. vxp.test.07, issued by the national axis): keep it exactly as written and accept it as an exception, also under the strict policy (recorded in the ledger).",
        };
        var command = new Command("add", "Add an agency, or update the one with that code: an update changes only the options given, an empty value clears one.")
        {
            code, name, tier, parent, push, servedBy, nonStandard,
        };
        command.SetAction((parse, ct) =>
        {
            var isNonStandard = parse.GetValue(nonStandard);
            var codeText = parse.GetValue(code)!;
            if (isNonStandard && Edxml.Agencies.AgencyCode.CheckNonStandard(codeText, "CODE") is { } notAnException)
            {
                return Task.FromResult(hub.Usage(parse, notAnException));
            }

            if ((isNonStandard ? codeText.Trim() : hub.Code(parse, codeText, "CODE")) is not { } agency)
            {
                if (Edxml.Agencies.AgencyCode.IsNonStandard(codeText, out _))
                {
                    parse.InvocationConfiguration.Error.WriteLine("(a code in neither form is added only with --nonstandard)");
                }

                return Task.FromResult(LgspCommand.Usage);
            }

            var given = new AgencyChange { NonStandard = isNonStandard };
            if (parse.GetValue(name) is { } nameText)
            {
                given.Name = nameText.Trim();
                if (given.Name.Length == 0)
                {
                    return Task.FromResult(HubCommandOptions.Usage(parse, "--name: the name is empty"));
                }
            }

            if (parse.GetValue(tier) is { } tierText)
            {
                given.Tier = tierText.Trim().ToLowerInvariant();
                if (!AgencyTier.IsKnown(given.Tier))
                {
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--tier: '{tierText}' is not a tier (one of {string.Join(", ", AgencyTier.All)})"));
                }
            }

            if (parse.GetValue(parent) is { } parentText)
            {
                given.Parent = Cleared(parentText);
                if (given.Parent is { } parentCode)
                {
                    if (hub.KnownCode(parse, parentCode, "--parent") is not { } valid)
                    {
                        return Task.FromResult(LgspCommand.Usage);
                    }

                    if (valid == agency)
                    {
                        return Task.FromResult(HubCommandOptions.Usage(parse, "--parent: an agency cannot be its own parent"));
                    }

                    given.Parent = valid;
                }
            }

            if (parse.GetValue(push) is { } pushText)
            {
                given.Push = Cleared(pushText);
                if (given.Push is not null && AgencyImport.PushEndpoint(given.Push) is null)
                {
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--push: '{pushText}' is not an absolute http or https URL"));
                }
            }

            if (parse.GetValue(servedBy) is { } hubText)
            {
                given.ServedBy = Cleared(hubText);
            }

            return hub.RunAsync(parse, async connection =>
            {
                var agencies = (await connection.Directory.ListAgenciesAsync(ct: ct)).ToDictionary(a => a.Code, StringComparer.Ordinal);
                var current = agencies.GetValueOrDefault(agency);
                if (current is null && (given.Name is null || given.Tier is null))
                {
                    parse.InvocationConfiguration.Error.WriteLine($"{agency} is not in the directory: a new agency needs --name and --tier");
                    return LgspCommand.Usage;
                }

                var saved = given.ApplyTo(current, agency);
                if (AgencyImport.LoopsBack(agency, saved.ParentCode, c => agencies.GetValueOrDefault(c)?.ParentCode))
                {
                    parse.InvocationConfiguration.Error.WriteLine($"--parent: the chain of parents from {saved.ParentCode} leads back to {agency}");
                    return LgspCommand.Failed;
                }

                await connection.Directory.SaveAgencyAsync(saved, hub.ActorOf(parse), ct);
                parse.InvocationConfiguration.Output.WriteLine(
                    $"{(current is null ? "added" : "updated")} {agency} {saved.Name} ({saved.Tier}{(saved.ParentCode is null ? "" : ", under " + saved.ParentCode)}"
                    + $"{(saved.ServedBy is not null ? ", served by hub " + saved.ServedBy : saved.PushEndpoint is null ? ", pulls" : ", pushed to " + saved.PushEndpoint)}"
                    + $"{(saved.NonStandard ? ", a code in neither form accepted as an exception" : "")})");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    // An option given as "" (or blanks) clears the setting; null stays "not given".
    private static string? Cleared(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>What <c>agencies add</c> was told: an option left out keeps the agency's current value
    /// (an update once silently cleared the parent the operator had not repeated).</summary>
    private sealed class AgencyChange
    {
        private const string NotGiven = "\0";

        public string? Name { get; set; }

        public string? Tier { get; set; }

        public string? Parent { get; set; } = NotGiven;

        public string? Push { get; set; } = NotGiven;

        public string? ServedBy { get; set; } = NotGiven;

        public bool NonStandard { get; init; }

        public Agency ApplyTo(Agency? current, string code) => new(
            code,
            Name ?? current!.Name,
            Parent == NotGiven ? current?.ParentCode : Parent,
            Tier ?? current!.Tier,
            true,
            null,
            Push == NotGiven ? current?.PushEndpoint : Push is null ? null : AgencyImport.PushEndpoint(Push),
            DateTimeOffset.UtcNow)
        {
            ServedBy = ServedBy == NotGiven ? current?.ServedBy : ServedBy,
            NonStandard = NonStandard,
        };
    }

    private static Command List(HubCommandOptions hub)
    {
        var changedSince = new Option<string?>("--changed-since") { Description = "Only agencies changed at or after this time (ISO 8601; without an offset, local time).", HelpName = "ISO-TIME" };
        var json = CommonOptions.Json();
        var command = new Command("list", "List the directory's agencies, by code.") { changedSince, json };
        command.SetAction((parse, ct) =>
        {
            DateTimeOffset? since = null;
            if (parse.GetValue(changedSince) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed))
                {
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--changed-since: '{text}' is not a time (ISO 8601, e.g. 2026-01-31T08:00:00+07:00)"));
                }

                since = parsed;
            }

            return hub.RunAsync(parse, async connection =>
            {
                var agencies = await connection.Directory.ListAgenciesAsync(since, ct);
                var output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                {
                    Findings.WriteJson(output, agencies.Select(a => new
                    {
                        code = a.Code,
                        name = a.Name,
                        parent = a.ParentCode,
                        tier = a.Tier,
                        active = a.Active,
                        successor = a.SuccessorCode,
                        pushEndpoint = a.PushEndpoint?.ToString(),
                        servedBy = a.ServedBy,
                        nonstandard = a.NonStandard,
                        changedAt = a.ChangedAt,
                    }));
                    return LgspCommand.Ok;
                }

                var table = Tables.Create("code", "name", "parent", "tier", "active", "successor", "push endpoint", "served by");
                foreach (var a in agencies)
                {
                    table.AddText(a.Code, a.Name, a.ParentCode, a.Tier, a.Active ? "yes" : "no", a.SuccessorCode, a.PushEndpoint?.ToString(), a.ServedBy);
                }

                Tables.Console(output).Write(table);
                output.WriteLine($"{agencies.Count} {(agencies.Count == 1 ? "agency" : "agencies")}");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command Import(HubCommandOptions hub)
    {
        var file = new Argument<FileInfo>("FILE.csv")
        {
            Description = $"UTF-8 CSV with the header {string.Join(',', AgencyImport.Columns)} (any order), and optionally {AgencyImport.ServedByColumn} (the serving hub's id; empty: this hub).",
        };
        var command = new Command("import", "Add or update agencies from a CSV file: every line is checked first, and nothing is imported if any is wrong.") { file };
        command.SetAction((parse, ct) =>
        {
            if (HubCommandOptions.ExistingFile(parse, parse.GetValue(file)!) is not { } path)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            string text;
            try
            {
                // Detects and drops a byte order mark; refuses bytes that are not UTF-8.
                text = File.ReadAllText(path.FullName, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            }
            catch (DecoderFallbackException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"{path}: not UTF-8 text; save the file as UTF-8 (CSV UTF-8)");
                return Task.FromResult(LgspCommand.Failed);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"{path}: {ex.Message}"));
            }

            return hub.RunAsync(parse, async connection =>
            {
                var existing = (await connection.Directory.ListAgenciesAsync(ct: ct)).ToDictionary(a => a.Code, a => a.ParentCode, StringComparer.Ordinal);
                var hubs = (await connection.Directory.ListHubsAsync(ct)).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
                var (rows, problems) = AgencyImport.Plan(text, existing, hubs);
                var vietnamese = parse.GetValue(hub.Vietnamese);
                if (problems.Count > 0)
                {
                    var error = parse.InvocationConfiguration.Error;
                    foreach (var problem in problems)
                    {
                        error.WriteLine($"{path}: line {problem.Line}, {problem.Field}: {problem.ReasonIn(vietnamese)}");
                    }

                    var lines = problems.Select(p => p.Line).Distinct().Count();
                    error.WriteLine($"Nothing imported: {lines} {(lines == 1 ? "line is" : "lines are")} wrong.");
                    return LgspCommand.Failed;
                }

                var actor = hub.ActorOf(parse);
                var (added, updated) = (0, 0);
                foreach (var row in rows)
                {
                    await connection.Directory.SaveAgencyAsync(
                        new Agency(row.Code, row.Name, row.Parent, row.Tier, true, null, row.PushEndpoint, DateTimeOffset.UtcNow) { ServedBy = row.ServedBy }, actor, ct);
                    if (existing.ContainsKey(row.Code))
                    {
                        updated++;
                    }
                    else
                    {
                        added++;
                    }
                }

                parse.InvocationConfiguration.Output.WriteLine($"Imported {rows.Count} {(rows.Count == 1 ? "agency" : "agencies")} from {path}: {added} added, {updated} updated.");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command Retire(HubCommandOptions hub)
    {
        var code = new Argument<string>("CODE") { Description = "The agency to retire." };
        var successor = new Option<string>("--successor") { Description = "The agency that receives what is addressed to the retired one.", HelpName = "CODE", Required = true };
        var command = new Command("retire", "Retire an agency; documents addressed to it go to its successor.") { code, successor };
        command.SetAction((parse, ct) =>
        {
            if (hub.KnownCode(parse, parse.GetValue(code)!, "CODE") is not { } retired || hub.KnownCode(parse, parse.GetValue(successor)!, "--successor") is not { } next)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            return hub.RunAsync(parse, async connection =>
            {
                await connection.Directory.RetireAgencyAsync(retired, next, hub.ActorOf(parse), ct);
                parse.InvocationConfiguration.Output.WriteLine($"retired {retired}; what is addressed to it goes to {next}");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command CertAdd(HubCommandOptions hub)
    {
        var code = new Argument<string>("CODE") { Description = "The agency the certificates sign for." };
        var file = new Argument<FileInfo>("CERT.pem") { Description = "The signer certificates (PEM, any number, or one DER certificate)." };
        var command = new Command("add", "Register every certificate in a file as a signer of an agency: its packages' envelope signer must be one of them.") { code, file };
        command.SetAction(async (parse, ct) =>
        {
            if (hub.KnownCode(parse, parse.GetValue(code)!, "CODE") is not { } agency
                || HubCommandOptions.ExistingFile(parse, parse.GetValue(file)!) is not { } path
                || Certificates(parse, path) is not { } certificates)
            {
                return LgspCommand.Usage;
            }

            try
            {
                return await hub.RunAsync(parse, async connection =>
                {
                    foreach (var certificate in certificates)
                    {
                        await connection.Directory.AddAgencyCertificateAsync(agency, certificate, hub.ActorOf(parse), ct);
                        parse.InvocationConfiguration.Output.WriteLine($"registered for {agency}: {certificate.Subject} sha256 {Sha256(certificate)}");
                    }

                    return LgspCommand.Ok;
                }, ct);
            }
            finally
            {
                foreach (var certificate in certificates)
                {
                    certificate.Dispose();
                }
            }
        });
        return command;
    }

    /// <summary>Every certificate in a file, or null after reporting why it cannot be read.</summary>
    internal static IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>? Certificates(ParseResult parse, FileInfo file)
    {
        try
        {
            return TrustMaterial.LoadCertificates(file.FullName);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or FormatException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"{file}: {ex.Message}");
            return null;
        }
    }

    /// <summary>The certificate's SHA-256 fingerprint, lower-case hex.</summary>
    internal static string Sha256(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
}
