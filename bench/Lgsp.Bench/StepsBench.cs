using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Spooling;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Validation;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Soap;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Bench;

/// <summary>
/// The accept path's CPU steps in this process, without a hub or a database: each step's mean time and
/// the bytes it allocates per package (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) and, of them,
/// the bytes and objects on the large-object heap (<see cref="LargeObjectListener"/>), on signed
/// ~100 KB packages like the accept benchmark's, with the hub's trust as it runs (a root, an issuing CA
/// and its CRL). Receipt signing is timed with an RSA-2048 and with an ECDSA P-256 hub key.
/// </summary>
internal static class StepsBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var iterations = args.SkipWhile(a => a != "--iterations").Skip(1).Select(a => int.Parse(a, Inv)).FirstOrDefault(300);
        var attachmentBytes = args.SkipWhile(a => a != "--attachment-bytes").Skip(1).Select(a => int.Parse(a, Inv)).FirstOrDefault(72_000);

        using var largeObjects = new LargeObjectListener();
        using var pki = TestPki.Create("LGSP Bench");
        var signer = pki.IssueOrganization("000.00.01.H56", "Văn phòng UBND tỉnh (bench)");
        var rsaHub = pki.IssueOrganization("hub-rsa", "LGSP bench RSA");
        var ecHub = pki.IssueOrganization("hub-ec", "LGSP bench ECDSA", KeyKind.EcdsaP256);
        var trust = new CertificateTrust(new TrustOptions
        {
            Roots = [pki.Root],
            Intermediates = [pki.Intermediate],
            Crls = [RevocationList.Load(pki.CreateCrl([]))],
        });
        var check = CheckOptions.Strict(trust);
        var verifier = new PackageSignatureVerifier(check.Signature, trust);
        var packages = Enumerable.Range(0, 16)
            .Select(i => PackageSigner.Sign(TestPackages.Document("000.00.01.H56", ["000.00.02.H56", "000.00.03.H56", "000.00.04.H56"], attachmentBytes: attachmentBytes), signer))
            .ToArray();
        var envelopes = packages.Select(EdocHttp.SendDocumentEnvelope).ToArray();
        var spools = packages.Select(PackageSpool.FromBytes).ToArray();
        var rsaReceipts = new ReceiptIssuer(new HubIdentity("bench", rsaHub, []));
        var ecReceipts = new ReceiptIssuer(new HubIdentity("bench", ecHub, []));
        var reportFacts = new Lgsp.Exchange.Reports.Facts.FactsReader();
        var facts = new ReceiptFacts(Lgsp.Edxml.Model.PackageKind.Document, "000.00.01.H56", "x", "ab", 100_000, DateTimeOffset.UtcNow, 1);

        var steps = new List<(string Step, Measure Measure)>
        {
            ("spool the package (written in 16 KB pieces, SHA-256)", Time(largeObjects, iterations, i =>
            {
                using var spool = PackageSpool.Create();
                var bytes = packages[i % packages.Length];
                for (var at = 0; at < bytes.Length; at += 16_384)
                {
                    spool.Write(bytes.AsSpan(at, Math.Min(16_384, bytes.Length - at)));
                }

                spool.Complete();
            })),
            ("read the SOAP request (XML, base64 decode into the spool)", Time(largeObjects, iterations, i =>
            {
                using var request = SoapRequestReader.ReadAsync(new MemoryStream(envelopes[i % envelopes.Length]), "text/xml; charset=utf-8",
                    "\"urn:lgsp:edoc:1/SendDocument\"", SoapLimits.Default).GetAwaiter().GetResult();
            })),
            ("validate from the spool (read, XSD, rules)", Time(largeObjects, iterations, i =>
            {
                using var model = PackageValidator.Validate(spools[i % spools.Length], check.Validation).Package;
            })),
            ("verify the signature from the spool (XMLDSig, chain, CRL)", Time(largeObjects, iterations, i => verifier.Verify(spools[i % spools.Length]))),
            ("of which the chain and CRL check (CertificateTrust.Check)", Time(largeObjects, iterations, _ => trust.Check(signer, [], DateTimeOffset.UtcNow))),
            ("validate + verify (PackageCheck, as the accept path)", Time(largeObjects, iterations, i =>
            {
                using var model = PackageCheck.Evaluate(spools[i % spools.Length], check).Validation.Package;
            })),
            ("read the report facts (PDF inspector)", Time(largeObjects, iterations, i =>
            {
                using var model = PackageValidator.Validate(spools[i % spools.Length], check.Validation).Package;
                _ = reportFacts.Read(model!, signer);
            })),
            ("sign the receipt, RSA-2048 hub key", Time(largeObjects, iterations, _ => rsaReceipts.Issue(facts))),
            ("sign the receipt, ECDSA P-256 hub key", Time(largeObjects, iterations, _ => ecReceipts.Issue(facts))),
        };

        var verdict = PackageCheck.Evaluate(spools[0], check);
        using (verdict.Validation.Package)
        {
            if (!verdict.IsAccepted)
            {
                throw new InvalidOperationException("The bench package is not accepted: " + string.Join("; ", verdict.Findings.Select(f => f.Message)));
            }
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"## Accept steps in process, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{packages.Length} signed packages of {packages.Average(p => p.Length) / 1000:0.0} KB, {iterations} iterations per step, one thread; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
        report.AppendLine();
        report.AppendLine("| step | mean time | allocated per package | of which on the large-object heap (bytes, objects) |");
        report.AppendLine("|---|---|---|---|");
        foreach (var (step, measure) in steps)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {step} | {measure.Mean.TotalMilliseconds:0.000} ms | {measure.AllocatedBytes / 1024.0:0.0} KiB | "
                + $"{measure.Large.Bytes / (double)iterations / 1024.0:0.0} KiB, {measure.Large.Objects / (double)iterations:0.00} |");
        }

        report.AppendLine();
        report.AppendLine("Large-object allocations by type (per package; the runtime's allocation ticks, exact):");
        report.AppendLine();
        report.AppendLine("| step | type | KiB per package | objects per package |");
        report.AppendLine("|---|---|---|---|");
        foreach (var (step, measure) in steps)
        {
            foreach (var (type, (bytes, objects)) in measure.Large.ByType.OrderByDescending(t => t.Value.Bytes))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"| {step} | `{type}` | {bytes / (double)iterations / 1024.0:0.0} | {objects / (double)iterations:0.00} |");
            }
        }

        Console.Write(report);
        foreach (var spool in spools)
        {
            spool.Dispose();
        }

        return 0;
    }

    private readonly record struct Measure(TimeSpan Mean, long AllocatedBytes, LargeObjectListener.Taken Large);

    private static Measure Time(LargeObjectListener largeObjects, int iterations, Action<int> step)
    {
        for (var i = 0; i < Math.Min(iterations, 50); i++)
        {
            step(i);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        largeObjects.Reset();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            step(i);
        }

        var elapsed = watch.Elapsed;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new Measure(elapsed / iterations, allocated / iterations, largeObjects.Take());
    }
}
