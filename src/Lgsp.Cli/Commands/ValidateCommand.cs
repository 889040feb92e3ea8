using System.CommandLine;
using Lgsp.Cli.Output;
using Lgsp.Edxml.Validation;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp edxml validate FILE...</c>: schema and business rules; exit 0 only if every file is valid.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Packages to validate.", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var vi = CommonOptions.Vietnamese();
        var legacy = new Option<bool>("--legacy") { Description = "Legacy policy: tolerate junk bytes before the XML declaration, agency codes in neither standard form and over-long document numbers; what it tolerated is listed as warnings." };
        var warnings = new Option<bool>("--warnings") { Description = "Also list warnings (tolerated deviations), prefixed 'warning'." };
        var verify = new Option<bool>("--verify") { Description = "Also verify the envelope signature and chain (with --trust); strict requires a trusted signature, --legacy tolerates unsigned and placeholder-signed packages." };
        var trust = new TrustArguments();
        var command = new Command("validate", "Validate packages against the edXML schemas and business rules.") { files, json, vi, legacy, warnings, verify };
        trust.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = parse.GetValue(legacy) ? ValidationOptions.LegacyPolicy : ValidationOptions.Strict;
            var check = parse.GetValue(verify)
                ? (parse.GetValue(legacy) ? CheckOptions.Legacy(trust.Build(parse)) : CheckOptions.Strict(trust.Build(parse)))
                    with { Signature = trust.Policy(parse, requireSignature: !parse.GetValue(legacy)) }
                : null;
            var results = new List<(FileInfo File, Verdict Result)>();
            foreach (var file in parse.GetValue(files)!)
            {
                if (!file.Exists)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"{file.FullName}: no such file");
                    return LgspCommand.Usage;
                }

                Verdict verdict;
                if (check is null)
                {
                    var result = PackageValidator.ValidateFile(file.FullName, options);
                    verdict = new Verdict(result.IsValid, result.Package?.Kind, result.Findings);
                    result.Package?.Dispose();
                }
                else
                {
                    var result = PackageCheck.Evaluate(File.ReadAllBytes(file.FullName), check);
                    verdict = new Verdict(result.IsAccepted, result.Validation.Package?.Kind, result.Findings);
                    result.Validation.Package?.Dispose();
                }

                results.Add((file, verdict));
            }

            if (parse.GetValue(json))
            {
                Findings.WriteJson(output, results.Select(r => new
                {
                    file = r.File.ToString(),
                    valid = r.Result.IsValid,
                    kind = r.Result.Kind,
                    findings = r.Result.Findings.Select(Findings.ToJson),
                }));
            }
            else
            {
                foreach (var (file, result) in results)
                {
                    if (results.Count > 1 || result.IsValid)
                    {
                        output.WriteLine($"{file}: {(result.IsValid ? "valid" : "invalid")}");
                    }

                    // Under legacy the warnings are what was let through: always shown.
                    Findings.Print(output, result.Findings, parse.GetValue(vi), parse.GetValue(warnings) || parse.GetValue(legacy));
                }
            }

            return results.All(r => r.Result.IsValid) ? LgspCommand.Ok : LgspCommand.Failed;
        });
        return command;
    }

    private sealed record Verdict(bool IsValid, Lgsp.Edxml.Model.PackageKind? Kind, IReadOnlyList<Lgsp.Edxml.Errors.EdxmlError> Findings);
}
