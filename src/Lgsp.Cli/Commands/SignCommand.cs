using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp edxml sign FILE --cert --key</c>: an enveloped XML signature over the whole package.</summary>
internal static class SignCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The package to sign." };
        var cert = new Option<FileInfo>("--cert")
        {
            Description = "The signer certificate (PEM); certificates after it in the file (its issuers, as a full-chain file has them) go into KeyInfo too.",
            Required = true,
        };
        var key = new Option<FileInfo>("--key") { Description = "The signer's private key (PEM, unencrypted PKCS#8 or PKCS#1/SEC1).", Required = true };
        var chain = new Option<FileInfo[]>("--chain") { Description = "Intermediate certificates to include in KeyInfo (repeat for several)." };
        var output = CommonOptions.Out("the signed package");
        var command = new Command("sign", "Sign a package (XMLDSig, enveloped, exclusive C14N, RSA-SHA256 or ECDSA-SHA256).") { file, cert, key, chain, output };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                using var signer = X509Certificate2.CreateFromPemFile(parse.GetValue(cert)!.FullName, parse.GetValue(key)!.FullName);
                // A receiving hub that trusts only the root needs the intermediates: those the certificate
                // file carries after the signer are included by default, with any --chain files.
                var extra = TrustMaterial.LoadCertificates(parse.GetValue(cert)!.FullName).Skip(1)
                    .Concat((parse.GetValue(chain) ?? []).SelectMany(f => TrustMaterial.LoadCertificates(f.FullName)))
                    .Where(c => c.Thumbprint != signer.Thumbprint)
                    .DistinctBy(c => c.Thumbprint)
                    .ToList();
                var signed = PackageSigner.Sign(File.ReadAllBytes(parse.GetValue(file)!.FullName), signer, extra);
                CommonOptions.WriteResult(signed, parse.GetValue(output));
                return LgspCommand.Ok;
            }
            catch (EdxmlFormatException ex)
            {
                error.WriteLine(ex.Error.ToString());
                return LgspCommand.Failed;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException or NotSupportedException)
            {
                error.WriteLine(ex.Message);
                return LgspCommand.Usage;
            }
        });
        return command;
    }
}
