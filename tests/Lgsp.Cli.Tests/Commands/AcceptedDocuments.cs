using System.Security.Cryptography.X509Certificates;
using Lgsp.Cli.Tests.Hub;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Ledger;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Cli.Tests.Commands;

/// <summary>A hub identity from a throwaway PKI (its root written to a PEM file), and documents
/// accepted through the hub's accept path into a test database, then sealed as the hub seals.</summary>
public sealed class AcceptedDocuments : IDisposable
{
    public const string Sender = "000.00.01.H56";
    public const string Recipient = "000.00.02.H56";
    public const string SenderSystem = "qlvb-vp-ubnd";

    private readonly TestPki _pki = TestPki.Create("LGSP CLI evidence test");
    private readonly string _directory = Directory.CreateTempSubdirectory("lgsp-evidence-").FullName;

    public AcceptedDocuments()
    {
        Hub = new HubIdentity("hub-h56", _pki.IssueOrganization("hub-h56", "LGSP tỉnh Thanh Hóa", KeyKind.EcdsaP256), [_pki.Intermediate]);
        RootPem = Path.Combine(_directory, "root.pem");
        File.WriteAllText(RootPem, _pki.Root.ExportCertificatePem());
        HubPem = Path.Combine(_directory, "hub.pem");
        File.WriteAllText(HubPem, Hub.Certificate.ExportCertificatePem());
        var key = Path.Combine(_directory, "hub.key.pem");
        File.WriteAllText(key, Hub.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var chain = Path.Combine(_directory, "intermediate.pem");
        File.WriteAllText(chain, _pki.Intermediate.ExportCertificatePem());
        Signing = ["--signing-cert", HubPem, "--signing-key", key, "--signing-chain", chain];
    }

    /// <summary>The hub's signing certificate's PEM file (TEST ONLY key beside it).</summary>
    public string HubPem { get; }

    /// <summary>The export options that sign the bundle's statement with the hub's key.</summary>
    public string[] Signing { get; }

    public HubIdentity Hub { get; }

    /// <summary>The trust root's PEM file.</summary>
    public string RootPem { get; }

    /// <summary>A fresh file path in the test's folder.</summary>
    public string NewPath(string name) => Path.Combine(_directory, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    /// <summary>Registers the two agencies and the sender's system (legacy: unsigned packages pass).</summary>
    internal static async Task SeedAsync(HubDatabase db)
    {
        foreach (var code in new[] { Sender, Recipient })
        {
            await db.Directory.SaveAgencyAsync(new Agency(code, "Cơ quan " + code, null, AgencyTier.Department, true, null, null, default), "test");
        }

        await db.Directory.SaveClientSystemAsync(SenderSystem, SecretHash.Hash("secret"), null, PackagePolicy.Legacy, [Sender], "test");
    }

    /// <summary>Accepts a document from the sender to the recipient through <see cref="AcceptService"/>.</summary>
    internal async Task<(Acceptance Acceptance, byte[] Package)> AcceptAsync(HubDatabase db)
    {
        var package = TestPackages.Document(Sender, [Recipient]);
        var accept = new AcceptService(db.Directory, db.Packages, new TrustCache(db.Directory, TimeProvider.System, TimeSpan.FromMinutes(1)),
            new ReceiptIssuer(Hub), new Router(db.Directory), new NoPushes(), TimeProvider.System);
        var caller = (await db.Directory.FindClientSystemAsync(SenderSystem))!.System;
        return (await accept.AcceptAsync(caller, package, PackageKind.Document), package);
    }

    /// <summary>Seeds the directory, accepts a document and seals the ledger: a document ready to export.</summary>
    internal async Task<(Acceptance Acceptance, byte[] Package)> SealedDocumentAsync(HubDatabase db)
    {
        await SeedAsync(db);
        var accepted = await AcceptAsync(db);
        await SealAsync(db);
        return accepted;
    }

    /// <summary>Seals everything, as the running hub's sealer does.</summary>
    internal Task<SealResult> SealAsync(HubDatabase db) => new PostgresLedgerSealer(db.DataSource, TimeProvider.System).SealAsync(Hub);

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Pull recipients only: nothing is ever queued.</summary>
    private sealed class NoPushes : IDeliveryQueue
    {
        public void Enqueue(long deliveryId) => throw new InvalidOperationException("no push delivery expected");

        public void Schedule(long deliveryId, DateTimeOffset at) => throw new InvalidOperationException("no push delivery expected");

        public IReadOnlySet<long> WithLiveJobs(DateTimeOffset runningSince) => throw new InvalidOperationException("no push delivery expected");
    }
}
