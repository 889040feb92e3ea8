using System.CommandLine;
using System.Security.Cryptography;
using Lgsp.Cli.Output;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Validation;
using Spectre.Console;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp edxml inspect FILE</c>: what a package says and carries, and what its signatures prove.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The package to inspect." };
        var json = CommonOptions.Json();
        var trust = new TrustArguments();
        var command = new Command("inspect", "Show a package's header, recipients, business type, attachments (with PDF signatures) and envelope signature.") { file, json };
        trust.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                parse.InvocationConfiguration.Error.WriteLine($"{path.FullName}: no such file");
                return LgspCommand.Usage;
            }

            var bytes = File.ReadAllBytes(path.FullName);
            var certificateTrust = trust.Build(parse);
            var result = PackageCheck.Evaluate(bytes, CheckOptions.Legacy(certificateTrust) with { Signature = trust.Policy(parse, requireSignature: false) });
            using var package = result.Validation.Package;
            var report = Report.Build(path, bytes, result, new PdfSignatureInspector(certificateTrust));
            if (parse.GetValue(json))
            {
                Findings.WriteJson(parse.InvocationConfiguration.Output, report);
            }
            else
            {
                Render(parse.InvocationConfiguration.Output, report);
            }

            return package is null ? LgspCommand.Failed : LgspCommand.Ok;
        });
        return command;
    }

    private static void Render(TextWriter output, Report r)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = output == Console.Out ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 120;
        var header = new Table().HideHeaders().AddColumn("field").AddColumn("value").Border(TableBorder.Rounded);
        foreach (var field in r.Header)
        {
            header.AddRow(Markup.Escape(field.Name), Markup.Escape(field.Value ?? "-"));
        }

        console.Write(header);
        if (r.Attachments.Count > 0)
        {
            var table = new Table().AddColumns("attachment", "type", "size", "sha256", "PDF signatures").Border(TableBorder.Rounded);
            foreach (var a in r.Attachments)
            {
                var pdf = a.PdfSignatures.Count == 0
                    ? "-"
                    : string.Join("\n", a.PdfSignatures.Select(s =>
                        $"#{s.Index} {s.Kind}: {s.SignerName} {s.SigningTime:yyyy-MM-dd HH:mm} {(s.Intact ? "intact" : "NOT INTACT")}{(s.Trusted is { } t ? t ? ", trusted" : ", NOT TRUSTED" : "")}"));
                table.AddRow(Markup.Escape(a.Name ?? "-"), Markup.Escape(a.ContentType ?? "-"), a.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Sha256[..16] + "…", Markup.Escape(pdf));
            }

            console.Write(table);
        }

        console.WriteLine($"Envelope signature: {r.Signature.Status}{(r.Signature.Signer is null ? "" : " by " + r.Signature.Signer)}{(r.Signature.Trusted is { } trusted ? trusted ? " (trusted)" : " (NOT trusted)" : "")}");
        console.WriteLine($"Verdict under the legacy policy: {(r.Accepted ? "acceptable" : "refused")}; under the strict policy a trusted envelope signature is also required.");
        Findings.Print(output, r.Findings, vietnamese: false, withWarnings: true);
    }

    /// <summary>The inspection as data: printed as tables or serialised as JSON.</summary>
    private sealed record Report(
        string File, long Size, string Sha256, string? Kind, IReadOnlyList<HeaderField> Header,
        IReadOnlyList<AttachmentReport> Attachments, SignatureReport Signature, bool Accepted, IReadOnlyList<EdxmlError> Findings)
    {
        public static Report Build(FileInfo file, byte[] bytes, CheckResult result, PdfSignatureInspector pdfInspector)
        {
            var package = result.Validation.Package;
            var header = new List<HeaderField>();
            var attachments = new List<AttachmentReport>();
            switch (package)
            {
                case DocumentPackage d:
                    header.Add(new HeaderField("Kind", $"document ({d.Operation})"));
                    header.Add(new HeaderField("DocumentId", d.DocumentId));
                    header.Add(new HeaderField("From", Org(d.From)));
                    header.AddRange(d.To.Select((t, i) => new HeaderField($"To[{i + 1}]", Org(t))));
                    header.Add(new HeaderField("Code", d.Code?.ToString()));
                    header.Add(new HeaderField("Promulgated", $"{d.PromulgationInfo?.Place} {d.PromulgationInfo?.PromulgationDate}".Trim()));
                    header.Add(new HeaderField("Type", d.DocumentType?.TypeName));
                    header.Add(new HeaderField("Subject", d.Subject));
                    header.Add(new HeaderField("Signer", d.SignerInfo is { } s ? $"{s.Competence} {s.Position} {s.FullName}".Trim() : null));
                    header.Add(new HeaderField("Due", d.DueDate?.Text));
                    header.Add(new HeaderField("Priority", d.OtherInfo?.Priority?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    attachments.AddRange(d.Attachments.Select(a => AttachmentReport.Of(a, pdfInspector)));
                    break;
                case StatusPackage st:
                    header.Add(new HeaderField("Kind", $"status {st.StatusCode} ({st.Code?.ToString() ?? "unknown"})"));
                    header.Add(new HeaderField("From", Org(st.From)));
                    header.Add(new HeaderField("About", st.ResponseFor?.DocumentId));
                    header.Add(new HeaderField("Addressed to", st.ResponseFor?.OrganId));
                    header.Add(new HeaderField("Description", st.Description));
                    header.Add(new HeaderField("Timestamp", st.Timestamp?.Text));
                    break;
            }

            var sig = result.Signature;
            return new Report(
                file.ToString(), bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), package?.Kind.ToString(), header, attachments,
                new SignatureReport(sig?.Status.ToString() ?? "unreadable", sig?.Signer?.Subject, sig?.SignatureMethod, sig?.Status == SignatureStatus.Valid ? sig.IsTrusted && sig.Chain is not null : null),
                result.IsAccepted, result.Findings);
        }

        private static string? Org(Organization? o) => o is null ? null : $"{o.OrganId} {o.OrganName}".Trim();
    }

    private sealed record AttachmentReport(string? Name, string? ContentType, long Size, string Sha256, IReadOnlyList<string> Files, IReadOnlyList<PdfSignatureReport> PdfSignatures)
    {
        public static AttachmentReport Of(Attachment a, PdfSignatureInspector inspector)
        {
            var files = new List<string>();
            var signatures = new List<PdfSignatureReport>();
            try
            {
                foreach (var f in a.Files())
                {
                    files.Add(f.Name);
                    using var stream = f.Open();
                    var head = new byte[1024];
                    var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                    if (!PdfSignatureInspector.LooksLikePdf(head.AsSpan(0, n)))
                    {
                        continue;
                    }

                    using var whole = f.Open();
                    signatures.AddRange(inspector.Inspect(whole).Signatures.Select(s => new PdfSignatureReport(
                        s.Index, s.FieldName, s.SignerSubject, s.SignerCertificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false), s.Kind.ToString(), s.SigningTime, s.IsIntact, s.CoversWholeFile, s.Chain?.IsTrusted)));
                }
            }
            catch (EdxmlFormatException)
            {
                // Reported by the validator (InvalidZip, ZipBomb); nothing more to show.
            }

            return new AttachmentReport(a.AttachmentName, a.ContentType, a.Content.Length, a.Content.Sha256Hex, files, signatures);
        }
    }

    private sealed record HeaderField(string Name, string? Value);

    private sealed record PdfSignatureReport(int Index, string? Field, string? Signer, string? SignerName, string Kind, DateTimeOffset? SigningTime, bool Intact, bool CoversWholeFile, bool? Trusted);

    private sealed record SignatureReport(string Status, string? Signer, string? Method, bool? Trusted);
}
