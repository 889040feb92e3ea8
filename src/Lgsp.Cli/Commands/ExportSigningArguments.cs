using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Cli.Hub;
using Lgsp.Edxml.Trust;

namespace Lgsp.Cli.Commands;

/// <summary>The hub's signing key for <c>lgsp audit export</c>, which signs the bundle's export
/// statement: the same certificate and key the hub signs receipts and checkpoints with
/// (<c>Hub:CertificatePath</c>, <c>Hub:CertificateKeyPath</c>, <c>Hub:CertificateChainPath</c>),
/// given on the command line, else from those settings' environment variables, else the demo's
/// <c>DIR/pki</c>.</summary>
internal sealed class ExportSigningArguments
{
    public Option<FileInfo?> Certificate { get; } = new("--signing-cert")
    {
        Description = "The hub's signing certificate (PEM; default $Hub__CertificatePath, else DIR/pki/org-hub-h56.pem).",
        HelpName = "FILE",
    };

    public Option<FileInfo?> Key { get; } = new("--signing-key")
    {
        Description = "Its private key (PEM, PKCS#8; default $Hub__CertificateKeyPath, else DIR/pki/org-hub-h56.key.pem).",
        HelpName = "FILE",
    };

    public Option<FileInfo?> Chain { get; } = new("--signing-chain")
    {
        Description = "Its issuing CA certificates (PEM; default $Hub__CertificateChainPath, else DIR/pki/intermediate.pem when present).",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Certificate);
        command.Options.Add(Key);
        command.Options.Add(Chain);
    }

    /// <summary>The certificate with its key and chain; null after writing why it cannot be loaded.</summary>
    public (X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain)? Load(ParseResult parse, HubCommandOptions hub)
    {
        var directory = parse.GetValue(hub.Data) ?? System.Environment.GetEnvironmentVariable(HubConnection.DataDirectoryVariable) ?? HubConnection.DefaultDataDirectory;
        var pki = Path.GetFullPath(Path.Combine(directory, "pki"));
        string? Pick(Option<FileInfo?> option, string variable, string demo) =>
            parse.GetValue(option)?.FullName
            ?? (System.Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured ? configured : null)
            ?? (File.Exists(Path.Combine(pki, demo)) ? Path.Combine(pki, demo) : null);

        var certificate = Pick(Certificate, HubPinArguments.CertificateVariable, HubPinArguments.DemoHubCertificate);
        var key = Pick(Key, "Hub__CertificateKeyPath", "org-hub-h56.key.pem");
        var chain = Pick(Chain, "Hub__CertificateChainPath", "intermediate.pem");
        if (certificate is null || key is null)
        {
            parse.InvocationConfiguration.Error.WriteLine("The bundle's export statement is signed with the hub's own key: give --signing-cert and --signing-key "
                + "(the hub's Hub:CertificatePath and Hub:CertificateKeyPath).");
            return null;
        }

        try
        {
            return (X509Certificate2.CreateFromPemFile(certificate, key), chain is null ? [] : TrustMaterial.LoadCertificates(chain));
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException or ArgumentException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"--signing-cert/--signing-key: {ex.Message}");
            return null;
        }
    }
}
