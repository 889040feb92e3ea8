using Lgsp.Exchange.Reports.Facts;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using Xunit.Abstractions;
using static Lgsp.Postgres.Tests.Storage.PostgresPackageStoreTests;

namespace Lgsp.Postgres.Tests.Storage;

// Saving a package costs the same round trips whatever its number of recipients: the deliveries, their
// ledger entries and the recipients' facts go in one multi-row insert each (bench/README.md, "Accept").
[Collection(PostgresCollection.Name)]
public sealed class PostgresPackageStoreRoundTripTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task SavingAPackageForTwoHundredRecipientsTakesAsManyRoundTripsAsForThree()
    {
        var (data, store, database) = await OpenAsync();
        await store.SaveAsync(WithFacts(Document("warm", "warm"), 3), Pulls(3), Receipt);

        using var roundTrips = new NpgsqlRoundTrips(database);
        await store.SaveAsync(WithFacts(Document("D3", "three"), 3), Pulls(3), Receipt);
        var forThree = roundTrips.Take();
        await store.SaveAsync(WithFacts(Document("D200", "two hundred"), 200), Pulls(200), Receipt);
        var forTwoHundred = roundTrips.Take();

        output.WriteLine($"3 recipients: {forThree.Count} round trips; 200 recipients: {forTwoHundred.Count}");
        Assert.Equal(forThree.Count, forTwoHundred.Count);
        Assert.InRange(forThree.Count, 1, 4);
        Assert.Equal(200L, await Scalar(data, "SELECT count(*) FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = 'D200'"));
        Assert.Equal(200L, await Scalar(data, "SELECT count(*) FROM lgsp.report_recipient r JOIN lgsp.package p ON p.id = r.package_id WHERE p.document_id = 'D200'"));
    }

    [Fact]
    public async Task TheEntriesOfOneSaveTakeAscendingPositionsInTheOrderOfTheDeliveries()
    {
        var (data, store, _) = await OpenAsync();
        var redirected = new NewDelivery("R", "OLD", DeliveryMode.Pull);
        var failed = new NewDelivery("X", "X", DeliveryMode.Pull) { FailureCode = "unknown-recipient", Failure = "no route: X is not in the directory" };
        var saved = await store.SaveAsync(Document("D1", "body"), [.. Pulls(2), redirected, failed], Receipt);

        await using var command = data.CreateCommand("SELECT kind, coalesce(detail->>'recipient', ''), delivery_id FROM lgsp.ledger ORDER BY seq");
        var entries = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                entries.Add($"{reader.GetString(0)} {reader.GetString(1)}".TrimEnd());
            }
        }

        Assert.Equal(
            ["package.received", "delivery.created A0", "delivery.created A1", "delivery.redirected R", "delivery.created R", "delivery.created X", "delivery.failed X"],
            entries);
        Assert.Equal(saved.Deliveries.Select(d => d.Id).Order(), saved.Deliveries.Select(d => d.Id));
        Assert.Equal(saved.Acceptance!.LedgerSeq, await Scalar(data, "SELECT min(seq) FROM lgsp.ledger"));
    }

    private static NewDelivery[] Pulls(int count) => [.. Enumerable.Range(0, count).Select(i => new NewDelivery($"A{i}", $"A{i}", DeliveryMode.Pull))];

    private static NewPackage WithFacts(NewPackage package, int recipients) => package with
    {
        Facts = new PackageFacts
        {
            FromScope = ExchangeScope.Internal,
            EnvelopeSigner = SignerClass.Organization,
            Recipients = [.. Enumerable.Range(0, recipients).Select(i => new RecipientFact($"A{i}", "commune", ExchangeScope.Internal))],
            Attachments = [new AttachmentFact(1, "a.pdf", PdfVerdict.Unsigned, 0, 0)],
        },
    };

    private async Task<(NpgsqlDataSource, PostgresPackageStore, string)> OpenAsync()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        var data = NpgsqlDataSource.Create(connectionString);
        return (data, new PostgresPackageStore(data), new NpgsqlConnectionStringBuilder(connectionString).Database!);
    }
}
