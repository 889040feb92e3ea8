using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Evidence;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Evidence;
using Lgsp.Postgres.Ledger;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Server.Tests.Evidence;

/// <summary>What the running hub accepted, delivered and sealed exports as a bundle that verifies
/// against the demo root alone (the hub is configured without its issuing chain, as a hub may be).</summary>
[Collection(PostgresCollection.Name)]
public sealed class EvidenceFlowTests(PostgresFixture postgres)
{
    private const string Sender = "000.00.61.H56";
    private const string Recipient = "000.00.02.H56";

    [Fact]
    public async Task A_document_sent_delivered_and_confirmed_at_the_running_hub_exports_a_bundle_that_verifies_against_the_demo_root()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        await using var sender = hub.Client(Sender);
        await using var recipient = hub.Client(Recipient);
        var package = hub.SignedDocument(Sender, [Recipient]);
        var sent = await sender.SendDocumentAsync(new SendDocumentRequest { Package = package });
        var item = (await recipient.GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items.Single();
        await recipient.GetDocumentAsync(new GetDocumentRequest { Id = item.Id });
        await recipient.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = item.Id, Outcome = Outcome.Done });

        // The hub's own sealer, as its seal job runs it (rather than waiting for the next interval).
        var identity = hub.Services.GetRequiredService<HubIdentity>();
        await hub.Services.GetRequiredService<PostgresLedgerSealer>().SealAsync(identity);
        await using var data = NpgsqlDataSource.Create(hub.ConnectionString);
        var bundle = await new PostgresEvidenceExport(data, TimeProvider.System).ExportAsync(sent.DocumentId, includeContent: true, identity.Certificate, identity.Chain);
        var trust = new CertificateTrust(new TrustOptions
        {
            Roots = TrustMaterial.LoadCertificates(Path.Combine(hub.PkiDirectory, "root.pem")),
            Validity = ValidityTime.SigningTime,
        });
        var verdict = EvidenceVerifier.Verify(bundle.Write(), new SignerCheck(trust).PinnedTo([identity.Certificate]));

        Assert.True(verdict.Holds, verdict.Failure);
        Assert.Equal(package, Assert.Single(bundle.Packages).Body);
        Assert.Equal(["package.received", "delivery.created", "delivery.fetched", "delivery.acknowledged"], bundle.Entries.Select(e => e.Entry.Kind));
        Assert.Contains(verdict.Proved, p => p.StartsWith($"package {bundle.Packages[0].Id} (document from {Sender}, {package.Length} bytes): its bytes hash to sha256 {sent.Sha256}", StringComparison.Ordinal));
        Assert.Contains(verdict.Proved, p => p.StartsWith("4 ledger entries", StringComparison.Ordinal));
    }
}
