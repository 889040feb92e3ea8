using System.CommandLine;
using Lgsp.Cli.Output;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Spooling;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp edxml verify FILE --trust ROOT</c>: exit 0 only when the signature is valid, the signer
/// chains to a given root and nothing in the chain is revoked.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The signed package." };
        var trust = new TrustArguments();
        var json = CommonOptions.Json();
        var vi = CommonOptions.Vietnamese();
        var command = new Command("verify", "Verify a package's XML signature and the signer's certificate chain, offline.") { file, json, vi };
        trust.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var certificateTrust = trust.Build(parse);
            if (certificateTrust is null)
            {
                parse.InvocationConfiguration.Error.WriteLine("verify needs at least one --trust root certificate.");
                return LgspCommand.Usage;
            }

            // Read in place from the file, pass by pass, as the hub reads its spool: memory stays flat
            // whatever the package's size (and, as at the hub, no DOM fallback above 16 MiB, ADR 0016).
            using var package = PackageSpool.OverFile(parse.GetValue(file)!.FullName);
            var verdict = new PackageSignatureVerifier(trust.Policy(parse, requireSignature: true), certificateTrust)
                .Verify(package);
            var ok = verdict.IsTrusted && !verdict.HasErrors;
            if (parse.GetValue(json))
            {
                Findings.WriteJson(output, new
                {
                    file = parse.GetValue(file)!.ToString(),
                    verified = ok,
                    status = verdict.Status,
                    signer = verdict.Signer?.Subject,
                    signatureMethod = verdict.SignatureMethod,
                    digestMethod = verdict.DigestMethod,
                    chain = verdict.Chain?.Chain.Select(c => c.Subject),
                    findings = verdict.Errors.Select(Findings.ToJson),
                });
            }
            else
            {
                output.WriteLine(ok
                    ? $"verified: signed by {verdict.Signer?.Subject} ({verdict.SignatureMethod})"
                    : $"not verified: {Why(verdict)}");
                Findings.Print(output, verdict.Errors, parse.GetValue(vi), withWarnings: true);
            }

            return ok ? LgspCommand.Ok : LgspCommand.Failed;
        });
        return command;
    }

    /// <summary>Why a verdict is not a pass, in words: "Valid" alone read as a pass to operators when the
    /// signature was intact but its signer was not trusted.</summary>
    internal static string Why(SignatureVerdict verdict)
    {
        var what = verdict.Status switch
        {
            SignatureStatus.Valid when !verdict.IsTrusted => "the signature is intact but its signer is not trusted",
            SignatureStatus.Valid => "the signature is intact but has errors",
            SignatureStatus.Invalid => "the signature does not verify",
            SignatureStatus.Placeholder => "the package carries only a placeholder signature",
            _ => "the package is not signed",
        };
        var first = verdict.Errors.FirstOrDefault(e => e.IsError);
        return first is null ? what : $"{what} ({first.Code})";
    }
}
