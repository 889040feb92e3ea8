using System.CommandLine;
using System.Security.Cryptography;
using Lgsp.Cli.Hub;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;

namespace Lgsp.Cli.Commands;

/// <summary>The options that pin a hub's signing certificate for the commands verifying its
/// signatures (<c>audit verify</c>, <c>verify-ledger</c>, <c>witness-check</c>), spelled once. A
/// chain to the root proves only "some certificate under the root"; the pin proves "this hub".</summary>
internal sealed class HubPinArguments(string whose)
{
    /// <summary>The demo's hub certificate under the data directory's <c>pki/</c>.</summary>
    public const string DemoHubCertificate = "org-hub-h56.pem";

    /// <summary>The variable a hub reads its signing certificate from (<c>Hub:CertificatePath</c>).</summary>
    public const string CertificateVariable = "Hub__CertificatePath";

    public Option<FileInfo[]> Certificates { get; } = new("--hub-cert")
    {
        Description = $"{whose} signing certificate (PEM or DER); repeat, or give a file of several, to also accept previous signing certificates after a key rotation.",
        HelpName = "FILE",
    };

    public Option<string[]> Fingerprints { get; } = new("--hub-fingerprint")
    {
        Description = $"The SHA-256 fingerprint (hex) of {whose.ToLowerInvariant()} signing certificate; repeatable, as --hub-cert.",
        HelpName = "HEX",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Certificates);
        command.Options.Add(Fingerprints);
    }

    /// <summary>True when the command line pins at least one certificate.</summary>
    public bool Given(ParseResult parse) => (parse.GetValue(Certificates)?.Length ?? 0) + (parse.GetValue(Fingerprints)?.Length ?? 0) > 0;

    /// <summary><paramref name="check"/> pinned to the given certificates and fingerprints, and a
    /// description of them; or the usage problem (an unreadable file, a malformed fingerprint).</summary>
    public (SignerCheck? Check, string Pins, string? Problem) Pin(ParseResult parse, SignerCheck check, IEnumerable<string>? defaultFiles = null)
    {
        try
        {
            var files = (parse.GetValue(Certificates) ?? []).Select(f => f.FullName).ToList();
            var fingerprints = parse.GetValue(Fingerprints) ?? [];
            if (files.Count == 0 && fingerprints.Length == 0)
            {
                files.AddRange(defaultFiles ?? []);
            }

            var certificates = files.SelectMany(f => TrustMaterial.LoadCertificates(f)).ToList();
            var pinned = check.PinnedTo(certificates, fingerprints);
            var pins = string.Join(", ", certificates.Select(c => $"{c.Subject} (sha256 {SignerCheck.Fingerprint(c)})")
                .Concat(fingerprints.Select(f => $"sha256 {f}")));
            return (pinned, pins, null);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            return (null, "", $"--hub-cert/--hub-fingerprint: {ex.Message}");
        }
    }

    /// <summary>The hub's own signing certificate, where the hub is configured with it: its
    /// <c>Hub:CertificatePath</c> (environment), else the demo's <c>DIR/pki/org-hub-h56.pem</c>.</summary>
    public static IEnumerable<string> OwnCertificate(ParseResult parse, HubCommandOptions hub)
    {
        if (System.Environment.GetEnvironmentVariable(CertificateVariable) is { Length: > 0 } configured)
        {
            return [configured];
        }

        var directory = parse.GetValue(hub.Data) ?? System.Environment.GetEnvironmentVariable(HubConnection.DataDirectoryVariable) ?? HubConnection.DefaultDataDirectory;
        var demo = Path.GetFullPath(Path.Combine(directory, "pki", DemoHubCertificate));
        return File.Exists(demo) ? [demo] : [];
    }
}
