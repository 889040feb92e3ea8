using System.Diagnostics;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

/// <summary>Interoperability with xmlsec1 (libxmlsec1 over OpenSSL), the reference implementation
/// most other stacks are checked against. CI installs the Debian package <c>xmlsec1</c>.</summary>
public sealed class XmlSecInteropTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private TestPki Pki => fixture.Pki;

    [Theory]
    [InlineData(KeyKind.Rsa)]
    [InlineData(KeyKind.EcdsaP256)]
    public void A_package_signed_here_verifies_with_xmlsec1(KeyKind kind)
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", kind);
        var dir = Repository.TempFolder();
        try
        {
            Pki.WriteTo(dir.FullName);
            var package = Path.Combine(dir.FullName, "signed.edxml");
            File.WriteAllBytes(package, PackageSigner.Sign(Sample("edoc_new.edxml"), signer, [Pki.Intermediate]));

            var (exit, output) = XmlSec1(
                "--verify",
                "--trusted-pem", Path.Combine(dir.FullName, "root.pem"),
                "--untrusted-pem", Path.Combine(dir.FullName, "intermediate.pem"),
                package);

            Assert.True(exit == 0, $"xmlsec1 exited with {exit}: {output}");
            Assert.Contains("OK", output, StringComparison.Ordinal);
            Assert.Contains("SignedInfo References (ok/all): 1/1", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Xmlsec1_refuses_a_package_tampered_after_signing_here()
    {
        // Proves the check above can fail.
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var dir = Repository.TempFolder();
        try
        {
            Pki.WriteTo(dir.FullName);
            var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), signer, [Pki.Intermediate]);
            var package = Path.Combine(dir.FullName, "tampered.edxml");
            File.WriteAllBytes(package, Tamper(signed, Offset(signed, "<edXML:Subject>", 15)));

            var (exit, output) = XmlSec1("--verify", "--trusted-pem", Path.Combine(dir.FullName, "root.pem"), package);

            Assert.NotEqual(0, exit);
            Assert.Contains("FAIL", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(KeyKind.Rsa, XmlDsigAlgorithms.RsaSha256)]
    [InlineData(KeyKind.EcdsaP256, XmlDsigAlgorithms.EcdsaSha256)]
    public void A_package_signed_by_xmlsec1_verifies_here(KeyKind kind, string signatureMethod)
    {
        using var pki = TestPki.Create("LGSP xmlsec1");
        var signer = pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", kind);
        var dir = Repository.TempFolder();
        try
        {
            pki.WriteTo(dir.FullName);
            var template = Path.Combine(dir.FullName, "template.edxml");
            var output = Path.Combine(dir.FullName, "signed.edxml");
            File.WriteAllBytes(template, Bytes(Template(signatureMethod)));

            var key = Path.Combine(dir.FullName, "org-000.00.00.G22.key.pem");
            var cert = Path.Combine(dir.FullName, "org-000.00.00.G22.pem");
            var intermediate = Path.Combine(dir.FullName, "intermediate.pem");
            var (exit, log) = XmlSec1("--sign", "--privkey-pem", $"{key},{cert},{intermediate}", "--output", output, template);
            Assert.True(exit == 0, $"xmlsec1 exited with {exit}: {log}");

            var trust = new CertificateTrust(new TrustOptions
            {
                Roots = [pki.Root],
                Crls = [RevocationList.Load(pki.CreateCrl([])), RevocationList.Load(pki.CreateRootCrl([]))],
            });
            var verdict = new PackageSignatureVerifier(SignaturePolicy.Default, trust).Verify(File.ReadAllBytes(output));

            Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
            Assert.Empty(verdict.Errors);
            Assert.Equal(signatureMethod, verdict.SignatureMethod);
            Assert.Equal(signer.RawData, verdict.Signer!.RawData);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>edoc_new.edxml with its junk dropped and its placeholder replaced by an XMLDSig
    /// template using the same algorithms as <see cref="PackageSigner"/>.</summary>
    private static string Template(string signatureMethod)
    {
        var text = Text(Sample("edoc_new.edxml"));
        text = text[text.IndexOf("<?xml", StringComparison.Ordinal)..];
        var start = text.IndexOf("<Signature>", StringComparison.Ordinal);
        var end = text.IndexOf("</Signature>", StringComparison.Ordinal) + "</Signature>".Length;
        var skeleton = $"""
            <Signature xmlns="http://www.w3.org/2000/09/xmldsig#">
                    <SignedInfo>
                      <CanonicalizationMethod Algorithm="{XmlDsigAlgorithms.ExclusiveC14N}"/>
                      <SignatureMethod Algorithm="{signatureMethod}"/>
                      <Reference URI="">
                        <Transforms>
                          <Transform Algorithm="{XmlDsigAlgorithms.EnvelopedSignature}"/>
                          <Transform Algorithm="{XmlDsigAlgorithms.ExclusiveC14N}"/>
                        </Transforms>
                        <DigestMethod Algorithm="{XmlDsigAlgorithms.Sha256}"/>
                        <DigestValue/>
                      </Reference>
                    </SignedInfo>
                    <SignatureValue/>
                    <KeyInfo><X509Data/></KeyInfo>
                  </Signature>
            """;
        return text[..start] + skeleton + text[end..];
    }

    internal static (int Exit, string Output) XmlSec1(params string[] args)
    {
        var executable = FindXmlSec1();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            Assert.Fail("xmlsec1 did not finish within two minutes.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindXmlSec1()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "xmlsec1");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("xmlsec1 is not installed: install the Debian package 'xmlsec1' (apt-get install xmlsec1). These interoperability tests never skip.");
        return "";
    }
}
