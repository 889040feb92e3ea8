using System.Text.Json;
using Lgsp.Cli.Commands;

namespace Lgsp.Cli.Tests.Commands;

/// <summary>pki demo, sign, verify, inspect and validate --verify, on the demo material written to a temporary folder.</summary>
public sealed class SigningCommandsTests : IClassFixture<SigningCommandsTests.Demo>
{
    private readonly Demo _demo;

    public SigningCommandsTests(Demo demo) => _demo = demo;

    private string P(params string[] parts) => Path.Combine([_demo.Dir, .. parts]);

    private string[] Trust => ["--trust", P("root.pem"), "--intermediate", P("intermediate.pem"), "--crl", P("crl.pem"), "--crl", P("root-crl.pem")];

    [Fact]
    public void The_demo_writes_labelled_certificates_a_crl_and_signed_packages()
    {
        Assert.Contains("TEST ONLY - NOT FOR PRODUCTION", File.ReadAllText(P("README.txt")));
        foreach (var f in new[] { "root.pem", "intermediate.pem", "crl.pem", "root-crl.pem", $"org-{PkiCommands.SenderCode}.pem", "packages/document-signed.edxml", "packages/cong-van-123.pdf" })
        {
            Assert.True(File.Exists(P(f)), f);
        }
    }

    [Theory]
    [InlineData("document-signed.edxml")]
    [InlineData("document-signed-ecdsa.edxml")]
    [InlineData("status-03-signed.edxml")]
    public void Verify_exits_zero_for_a_package_signed_by_a_trusted_unrevoked_certificate(string file)
    {
        var (exit, output, _) = CliRunner.Run(["edxml", "verify", P("packages", file), .. Trust]);

        Assert.True(exit == 0, output);
        Assert.StartsWith("verified: signed by", output);
        Assert.DoesNotContain("RevocationUnknown", output);
    }

    [Fact]
    public void Verify_exits_one_naming_the_revocation_when_the_signer_is_on_the_crl()
    {
        var (exit, output, _) = CliRunner.Run(["edxml", "verify", P("packages", "document-signed-by-revoked.edxml"), .. Trust]);

        Assert.Equal(1, exit);
        Assert.Contains("CertificateRevoked Signature/KeyInfo", output);
    }

    [Fact]
    public void Verify_takes_a_crl_grace_and_refuses_a_negative_one()
    {
        var graced = CliRunner.Run(["edxml", "verify", P("packages", "document-signed.edxml"), .. Trust, "--crl-grace", "1.00:00:00"]);
        var negative = CliRunner.Run(["edxml", "verify", P("packages", "document-signed.edxml"), .. Trust, "--crl-grace=-01:00:00"]);

        Assert.True(graced.Exit == 0, graced.Output);
        Assert.Equal(2, negative.Exit);
        Assert.Contains("--crl-grace must not be negative.", negative.Error);
    }

    [Fact]
    public void Verify_exits_one_for_an_unsigned_package()
    {
        var (exit, output, _) = CliRunner.Run(["edxml", "verify", P("packages", "document.edxml"), .. Trust]);

        Assert.Equal(1, exit);
        Assert.Contains("SignatureRequired", output);
        Assert.StartsWith("not verified: the package is not signed (SignatureRequired)", output);
    }

    [Fact]
    public void Verify_exits_one_when_the_signer_chains_to_another_root()
    {
        using var stranger = Lgsp.Edxml.Testing.Pki.TestPki.Create("Stranger");
        var strangerRoot = Path.Combine(_demo.Dir, "stranger-root.pem");
        File.WriteAllText(strangerRoot, stranger.Root.ExportCertificatePem());

        var (exit, output, _) = CliRunner.Run("edxml", "verify", P("packages", "document-signed.edxml"), "--trust", strangerRoot);

        Assert.Equal(1, exit);
        Assert.Contains("CertificateUntrustedRoot Signature/KeyInfo", output);
        Assert.StartsWith("not verified: the signature is intact but its signer is not trusted (CertificateUntrustedRoot)", output);
        Assert.DoesNotContain("not verified: Valid", output);
    }

    [Fact]
    public void Sign_then_verify_round_trips_and_a_flipped_byte_is_caught()
    {
        var signedPath = Path.Combine(_demo.Dir, "resigned.edxml");
        var (exit, _, error) = CliRunner.Run("edxml", "sign", P("packages", "document.edxml"), "--cert", P($"org-{PkiCommands.SenderCode}.pem"),
            "--key", P($"org-{PkiCommands.SenderCode}.key.pem"), "--chain", P("intermediate.pem"), "--out", signedPath);
        Assert.True(exit == 0, error);
        Assert.Equal(0, CliRunner.Run(["edxml", "verify", signedPath, .. Trust]).Exit);

        var bytes = File.ReadAllBytes(signedPath);
        var at = Array.IndexOf(bytes, (byte)'1', bytes.Length / 3); // a digit in the header or the attachment
        bytes[at] = (byte)'2';
        File.WriteAllBytes(signedPath, bytes);

        var (tampered, output, _) = CliRunner.Run(["edxml", "verify", signedPath, .. Trust]);
        Assert.Equal(1, tampered);
        Assert.Contains("Signature", output);
    }

    [Fact]
    public void Sign_carries_the_issuers_that_follow_the_signer_in_its_certificate_file_so_the_root_alone_verifies()
    {
        // A full-chain file, as the demo's certPem is: the signer, then its intermediate.
        var fullChain = Path.Combine(_demo.Dir, "signer-full-chain.pem");
        File.WriteAllText(fullChain, File.ReadAllText(P($"org-{PkiCommands.SenderCode}.pem")) + "\n" + File.ReadAllText(P("intermediate.pem")));
        var withChain = Path.Combine(_demo.Dir, "signed-with-full-chain.edxml");
        var leafOnly = Path.Combine(_demo.Dir, "signed-with-leaf-only.edxml");
        var key = P($"org-{PkiCommands.SenderCode}.key.pem");
        Assert.Equal(0, CliRunner.Run("edxml", "sign", P("packages", "document.edxml"), "--cert", fullChain, "--key", key, "--out", withChain).Exit);
        Assert.Equal(0, CliRunner.Run("edxml", "sign", P("packages", "document.edxml"), "--cert", P($"org-{PkiCommands.SenderCode}.pem"), "--key", key, "--out", leafOnly).Exit);

        var rootOnly = new[] { "--trust", P("root.pem"), "--crl", P("crl.pem"), "--crl", P("root-crl.pem") };
        var (exit, output, _) = CliRunner.Run(["edxml", "verify", withChain, .. rootOnly]);
        Assert.True(exit == 0, output);

        // Without the intermediate the refusal names the issuer that is missing.
        var (refused, why, _) = CliRunner.Run(["edxml", "verify", leafOnly, .. rootOnly]);
        Assert.Equal(1, refused);
        Assert.Contains("CertificateUntrustedRoot", why);
        using var intermediate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(P("intermediate.pem")));
        Assert.Contains($"issued by {intermediate.Subject}", why);
    }

    [Fact]
    public void Inspect_shows_both_pdf_signatures_with_their_kinds_and_the_trusted_envelope_signature()
    {
        var (exit, output, _) = CliRunner.Run(["edxml", "inspect", "--json", P("packages", "document-signed.edxml"), .. Trust]);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var signatures = json.RootElement.GetProperty("attachments")[0].GetProperty("pdfSignatures").EnumerateArray().ToList();
        Assert.Equal(["Personal", "Organization"], signatures.Select(s => s.GetProperty("kind").GetString()));
        Assert.All(signatures, s => Assert.True(s.GetProperty("intact").GetBoolean()));
        Assert.All(signatures, s => Assert.True(s.GetProperty("trusted").GetBoolean()));
        Assert.True(json.RootElement.GetProperty("signature").GetProperty("trusted").GetBoolean());
    }

    [Fact]
    public void Validate_with_verify_is_strict_by_default_and_tolerant_with_legacy()
    {
        var sample = CliRunner.Sample("edoc_update.edxml");

        var strict = CliRunner.Run(["edxml", "validate", "--verify", sample, P("packages", "document-signed.edxml"), .. Trust]);
        var legacy = CliRunner.Run(["edxml", "validate", "--verify", "--legacy", sample, .. Trust]);

        Assert.Equal(1, strict.Exit);
        Assert.Contains("edoc_update.edxml: invalid", strict.Output);
        Assert.Contains("SignatureRequired", strict.Output);
        Assert.Contains("document-signed.edxml: valid", strict.Output);
        Assert.Equal(0, legacy.Exit);
    }

    public sealed class Demo : IDisposable
    {
        public Demo()
        {
            Dir = Directory.CreateTempSubdirectory("lgsp-demo-").FullName;
            var (exit, _, error) = CliRunner.Run("pki", "demo", "--out", Dir);
            if (exit != 0)
            {
                throw new InvalidOperationException(error);
            }
        }

        public string Dir { get; }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }
}
