using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Lgsp.Cli.Hub;
using Lgsp.Edxml.Trust;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp trust add</c> and <c>lgsp crl add</c>: the certificate authorities signers must
/// chain to, and their revocation lists.</summary>
internal static class TrustCommands
{
    public static Command CreateTrust()
    {
        var hub = new HubCommandOptions();
        var file = new Argument<FileInfo>("ROOT.pem") { Description = "CA certificates (PEM, any number, or one DER certificate)." };
        var add = new Command("add", "Add every certificate in a file to the hub's trust: self-signed ones as roots, the others as intermediates.") { file };
        add.SetAction(async (parse, ct) =>
        {
            if (HubCommandOptions.ExistingFile(parse, parse.GetValue(file)!) is not { } path
                || AgenciesCommands.Certificates(parse, path) is not { } certificates)
            {
                return LgspCommand.Usage;
            }

            try
            {
                return await hub.RunAsync(parse, async connection =>
                {
                    foreach (var certificate in certificates)
                    {
                        var root = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
                        await connection.Directory.AddTrustCertificateAsync(certificate, root, hub.ActorOf(parse), ct);
                        parse.InvocationConfiguration.Output.WriteLine(
                            $"{(root ? "root" : "intermediate")}: {certificate.Subject} sha256 {AgenciesCommands.Sha256(certificate)}{(root ? "" : $" (issued by {certificate.Issuer})")}");
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
        return hub.AddTo(new Command("trust", "The certificate authorities envelope signers must chain to.") { add });
    }

    public static Command CreateCrl()
    {
        var hub = new HubCommandOptions();
        var file = new Argument<FileInfo>("CRL.pem") { Description = "Certificate revocation lists (PEM, any number, or one DER CRL)." };
        var add = new Command("add", "Add every CRL in a file to the hub's trust.") { file };
        add.SetAction((parse, ct) =>
        {
            if (HubCommandOptions.ExistingFile(parse, parse.GetValue(file)!) is not { } path)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            IReadOnlyList<RevocationList> crls;
            try
            {
                crls = RevocationList.LoadAll(path.FullName);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or FormatException)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"{path}: {ex.Message}"));
            }

            return hub.RunAsync(parse, async connection =>
            {
                foreach (var crl in crls)
                {
                    await connection.Directory.AddCrlAsync(crl.RawData, crl.Issuer.Name, crl.ThisUpdate, hub.ActorOf(parse), ct);
                    parse.InvocationConfiguration.Output.WriteLine(
                        $"CRL of {crl.Issuer.Name}: issued {crl.ThisUpdate.ToString("u", CultureInfo.InvariantCulture)}"
                        + $"{(crl.NextUpdate is { } next ? $", next update {next.ToString("u", CultureInfo.InvariantCulture)}" : "")}, {crl.Entries.Count} revoked");
                    if (crl.IsStaleAt(DateTimeOffset.UtcNow) && crl.NextUpdate is { } due)
                    {
                        parse.InvocationConfiguration.Error.WriteLine(
                            $"warning: this CRL is already stale (next update was due {due.ToString("u", CultureInfo.InvariantCulture)}); "
                            + $"certificates of {crl.Issuer.Name} fail (CrlStale) until a fresh CRL is added, beyond Hub:CrlGrace");
                    }

                    if (crl.UnsupportedReason is { } reason)
                    {
                        parse.InvocationConfiguration.Error.WriteLine($"warning: the hub will not use this CRL: {reason}");
                    }
                }

                return LgspCommand.Ok;
            }, ct);
        });
        return hub.AddTo(new Command("crl", "Certificate revocation lists for the hub's trust.") { add });
    }
}
