using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Validation;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Demo;
using Lgsp.Server.Inbound.Soap;
using Lgsp.TestSupport.Hub;

namespace Lgsp.Bench;

// The accept path's CPU steps timed one at a time in this process.
internal sealed partial class AcceptBench
{
    /// <summary>Times the accept path's CPU steps one at a time in this process (one thread, hub idle).</summary>
    private Task ProfileAsync(byte[][] sample)
    {
        var n = _options.ProfileIterations;
        var trust = new CertificateTrust(new TrustOptions
        {
            Roots = [X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_pki, "root.pem"))],
            Intermediates = [X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_pki, "intermediate.pem"))],
        });
        var check = CheckOptions.Strict(trust);
        var verifier = new PackageSignatureVerifier(check.Signature, trust);
        using var hubCertificate = DemoProvince.LoadHubCertificate(_pki);
        var receipts = new ReceiptIssuer(new HubIdentity("bench", hubCertificate, []));
        var envelopes = sample.Select(EdocHttp.SendDocumentEnvelope).ToArray();
        var postmaster = PostmasterPid();
        var cpuBefore = CpuReading.Take(_hub.ProcessId, postmaster);
        var verdict = PackageCheck.Evaluate(sample[0], check);
        using (verdict.Validation.Package)
        {
            if (!verdict.IsAccepted)
            {
                throw new InvalidOperationException("The profile's package is not accepted: " + string.Join("; ", verdict.Findings.Select(f => f.Message)));
            }
        }

        var steps = new List<(string Step, TimeSpan Mean)>
        {
            ("read the SOAP request (XML + base64 decode)", Time(n, i => SoapRequestReader.ReadAsync(new MemoryStream(envelopes[i % envelopes.Length]), "text/xml; charset=utf-8",
                "\"urn:lgsp:edoc:1/SendDocument\"", SoapLimits.Default).GetAwaiter().GetResult())),
            ("validate (read, XSD, rules)", Time(n, i =>
            {
                using var model = PackageValidator.Validate(sample[i % sample.Length]).Package;
            })),
            ("verify the signature (XMLDSig, chain)", Time(n, i => verifier.Verify(sample[i % sample.Length]))),
            ("validate + verify (PackageCheck, as the accept path)", Time(n, i =>
            {
                using var model = PackageCheck.Evaluate(sample[i % sample.Length], check).Validation.Package;
            })),
            ("SHA-256 of the package", Time(n, i => SHA256.HashData(sample[i % sample.Length]))),
            ("sign the receipt", Time(n, i => receipts.Issue(new ReceiptFacts(PackageKind.Document, "000.00.01.H56", "x", "ab", 100_000, DateTimeOffset.UtcNow, i)))),
        };
        var hash = SecretHash.Hash("bench-secret");
        var pbkdf2 = Time(5, _ => SecretHash.Verify("bench-secret", hash));

        Line("### Where an accept's CPU goes (in-process, one thread, the steps alone)");
        Line();
        Line("| step | mean per package |");
        Line("|---|---|");
        foreach (var (step, mean) in steps)
        {
            Line($"| {step} | {Ms(mean)} |");
        }

        Line($"| PBKDF2 secret check (once per client system per minute: the hub caches verified pairs) | {Ms(pbkdf2)} |");
        Line();
        Line($"(Other processes used {(CpuReading.Take(_hub.ProcessId, postmaster) - cpuBefore).OtherShare:P0} of the cores meanwhile.)");
        Line();
        return Task.CompletedTask;
    }

    private static TimeSpan Time(int iterations, Action<int> step)
    {
        for (var i = 0; i < Math.Min(iterations, 20); i++)
        {
            step(i);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            step(i);
        }

        return watch.Elapsed / iterations;
    }
}
