using Lgsp.Exchange.Directory;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using static Lgsp.Server.Tests.Outbound.Links.HubTopologyTests;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>Retired codes over a pull (ADR 0017): the parent lists a package addressed to a retired code
/// under its successor; the child takes it for the successor, keeping the code the sender wrote.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PulledSuccessorTests(PostgresFixture postgres)
{
    private const string Parent = "prov-p";
    private const string Child = "dist-c";
    private const string Sender = "000.61.30.H26";
    private const string Retired = "000.61.41.H26";
    private const string Successor = "000.61.42.H26";

    [Fact]
    public async Task AnItemListedUnderTheSuccessorOfTheRetiredCodeThePackageNamesIsAcceptedByTheChild()
    {
        await using var topology = await Topology.StartAsync(postgres,
            [new(Parent, null), new(Child, Parent)],
            [
                new(Sender, "Sở Nội vụ", AgencyTier.Department, Parent),
                new(Retired, "UBND xã Cũ", AgencyTier.Commune, Child),
                new(Successor, "UBND xã Mới", AgencyTier.Commune, Child),
            ]);
        foreach (var hub in new[] { Parent, Child })
        {
            await using var data = NpgsqlDataSource.Create(topology[hub].ConnectionString);
            await new PostgresDirectoryStore(data, TimeProvider.System).RetireAgencyAsync(Retired, Successor, "test");
        }

        var package = topology.SignedDocument(Sender, [Retired]);
        var documentId = await topology.Client(Sender).SendDocumentAsync(package);

        var recipient = topology.Client(Successor);
        var item = await WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), "the document for the successor at the child");
        Assert.Equal(package, await recipient.GetDocumentAsync(Id(item)));
        var atChild = Assert.Single(await topology[Child].QueryAsync(
            "SELECT d.recipient, d.addressed_to FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = $1", documentId));
        Assert.Equal(new object?[] { Successor, Retired }, atChild);
        Assert.Empty(await topology[Child].QueryAsync("SELECT seq FROM lgsp.ledger WHERE kind = 'package.refused'"));
    }
}
