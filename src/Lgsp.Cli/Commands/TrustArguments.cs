using System.CommandLine;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;

namespace Lgsp.Cli.Commands;

/// <summary>The trust options every verifying command takes, spelled once.</summary>
internal sealed class TrustArguments
{
    public Option<FileInfo[]> Trust { get; } = new("--trust") { Description = "A trusted root certificate (PEM or DER; repeat for several)." };
    public Option<FileInfo[]> Intermediate { get; } = new("--intermediate") { Description = "An intermediate CA certificate (repeat for several)." };
    public Option<FileInfo[]> Crl { get; } = new("--crl") { Description = "A CRL file to check revocation against (repeat for several)." };
    public Option<bool> RequireCrl { get; } = new("--require-crl") { Description = "Refuse when no usable CRL covers a certificate of the chain." };
    public Option<TimeSpan> CrlGrace { get; } = new("--crl-grace") { Description = "How long past its next update a CRL is still used (e.g. 1.00:00:00); beyond it its issuer's certificates fail (default 0)." };
    public Option<bool> AtSigningTime { get; } = new("--at-signing-time") { Description = "Check validity at the signing time (PDF signatures) instead of now." };
    public Option<bool> AllowSha1 { get; } = new("--allow-sha1") { Description = "Legacy: accept SHA-1 signature and digest algorithms." };

    public TrustArguments() =>
        CrlGrace.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<TimeSpan>() < TimeSpan.Zero)
            {
                result.AddError("--crl-grace must not be negative.");
            }
        });

    public void AddTo(Command command)
    {
        command.Options.Add(Trust);
        command.Options.Add(Intermediate);
        command.Options.Add(Crl);
        command.Options.Add(RequireCrl);
        command.Options.Add(CrlGrace);
        command.Options.Add(AtSigningTime);
        command.Options.Add(AllowSha1);
    }

    /// <summary>The trust configured on the command line, or null when no root was given.</summary>
    public CertificateTrust? Build(ParseResult parse, ValidityTime? validity = null)
    {
        var roots = parse.GetValue(Trust) ?? [];
        if (roots.Length == 0)
        {
            return null;
        }

        return new CertificateTrust(new TrustOptions
        {
            Roots = [.. roots.SelectMany(f => TrustMaterial.LoadCertificates(f.FullName))],
            Intermediates = [.. (parse.GetValue(Intermediate) ?? []).SelectMany(f => TrustMaterial.LoadCertificates(f.FullName))],
            Crls = [.. (parse.GetValue(Crl) ?? []).SelectMany(f => TrustMaterial.LoadCrls(f.FullName))],
            CrlGrace = parse.GetValue(CrlGrace),
            Revocation = parse.GetValue(RequireCrl) ? RevocationPolicy.Require : RevocationPolicy.IfCrlLoaded,
            Validity = validity ?? (parse.GetValue(AtSigningTime) ? ValidityTime.SigningTime : ValidityTime.Now),
        });
    }

    public SignaturePolicy Policy(ParseResult parse, bool requireSignature) =>
        SignaturePolicy.Default with { AllowSha1 = parse.GetValue(AllowSha1), RequireSignature = requireSignature };
}
