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
        var legacy = new Option<bool>("--legacy") { Description = "Legacy policy: tolerate junk bytes before the XML declaration (reported as a warning)." };
        var warnings = new Option<bool>("--warnings") { Description = "Also list warnings (tolerated deviations), prefixed 'warning'." };
        var command = new Command("validate", "Validate packages against the edXML schemas and business rules.") { files, json, vi, legacy, warnings };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = parse.GetValue(legacy) ? ValidationOptions.LegacyPolicy : ValidationOptions.Strict;
            var results = new List<(FileInfo File, ValidationResult Result)>();
            foreach (var file in parse.GetValue(files)!)
            {
                if (!file.Exists)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"{file.FullName}: no such file");
                    return LgspCommand.Usage;
                }

                var result = PackageValidator.ValidateFile(file.FullName, options);
                result.Package?.Dispose();
                results.Add((file, result));
            }

            if (parse.GetValue(json))
            {
                Findings.WriteJson(output, results.Select(r => new
                {
                    file = r.File.ToString(),
                    valid = r.Result.IsValid,
                    kind = r.Result.Package?.Kind,
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

                    Findings.Print(output, result.Findings, parse.GetValue(vi), parse.GetValue(warnings));
                }
            }

            return results.All(r => r.Result.IsValid) ? LgspCommand.Ok : LgspCommand.Failed;
        });
        return command;
    }
}
