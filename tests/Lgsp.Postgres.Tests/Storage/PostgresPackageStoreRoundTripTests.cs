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
// Two in all: BEGIN with the duplicate check and the ids, then the inserts with the COMMIT.
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
        Assert.Equal(2, forThree.Count);
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

    [Fact]
    public async Task ASavedPackageIsCommittedWhenSaveReturnsAndItsConnectionGoesBackOutsideATransaction()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await using var single = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1 }.ConnectionString);
        await using var other = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "other" }.ConnectionString);

        var saved = await new PostgresPackageStore(single).SaveAsync(WithFacts(Document("D1", "body"), 2), Pulls(2), Receipt);

        Assert.Equal(SaveResult.Saved, saved.Result);
        Assert.Equal(1L, await Scalar(other, "SELECT count(*) FROM lgsp.package WHERE document_id = 'D1'"));
        Assert.Equal(2L, await Scalar(other, "SELECT count(*) FROM lgsp.delivery"));
        Assert.Equal(3L, await Scalar(other, "SELECT count(*) FROM lgsp.ledger"));
        Assert.Equal(2L, await Scalar(other, "SELECT count(*) FROM lgsp.report_recipient"));
        Assert.Equal(0L, await Scalar(other, InATransaction));
    }

    [Fact]
    public async Task AStatementThatFailsInTheBatchStoresNothingAndLeavesTheConnectionUsable()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await using var single = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1 }.ConnectionString);
        await using var other = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "other" }.ConnectionString);
        var store = new PostgresPackageStore(single);

        // The delivery row fails (no such hub) after the package row went in, in the same batch as the COMMIT.
        var broken = new NewDelivery("A0", "A0", DeliveryMode.Push) { Via = "no-such-hub" };
        var failure = await Assert.ThrowsAsync<PostgresException>(() => store.SaveAsync(Document("D1", "body"), [broken], Receipt));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, failure.SqlState);
        Assert.Equal(0L, await Scalar(other, InATransaction));
        Assert.Equal(0L, await Scalar(other, "SELECT count(*) FROM lgsp.package"));
        Assert.Equal(0L, await Scalar(other, "SELECT count(*) FROM lgsp.ledger"));
        Assert.Equal(SaveResult.Saved, (await store.SaveAsync(Document("D1", "body"), Pulls(1), Receipt)).Result);
    }

    // The duplicate check and the drawing of a new package's ids share a round trip; a duplicate takes no
    // package id and no ledger position (a repeat asking for deliveries it has draws delivery ids, as before).
    [Fact]
    public async Task ADuplicateDrawsNoPackageIdOrLedgerPositionAndWritesNothing()
    {
        var (data, store, _) = await OpenAsync();
        await store.SaveAsync(Document("D1", "body"), Pulls(2), Receipt);
        var sequences = "SELECT format('%s %s', (SELECT last_value FROM lgsp.package_id_seq), (SELECT last_value FROM lgsp.ledger_seq_seq))";
        var before = await Scalar(data, sequences);

        var again = await store.SaveAsync(Document("D1", "body"), Pulls(2), Receipt);

        Assert.Equal(SaveResult.Duplicate, again.Result);
        Assert.Equal(before, await Scalar(data, sequences));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.package"));
        Assert.Equal(2L, await Scalar(data, "SELECT count(*) FROM lgsp.delivery"));
    }

    // Backends of the test's database, other than the asking one, left inside a transaction.
    private const string InATransaction =
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'";

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
