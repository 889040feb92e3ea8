using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The figures the metrics read, and the readiness probe.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreMonitorTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_empty_hub_counts_no_delivery_in_every_state_and_nothing_unsealed()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());

        var figures = await new PostgresStoreMonitor(data).ReadFiguresAsync();

        Assert.Equal(Enum.GetValues<DeliveryState>(), figures.Deliveries.Keys.Order());
        Assert.All(figures.Deliveries.Values, count => Assert.Equal(0, count));
        Assert.Equal(0, figures.UnsealedEntries);
        Assert.Null(figures.OldestUnsealedAt);
    }

    [Fact]
    public async Task Deliveries_are_counted_by_state_and_the_unsealed_ledger_entries_with_the_oldest_time()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var packages = new PostgresPackageStore(data);
        var saved = await packages.SaveAsync(PostgresPackageStoreTests.Document("D1", "body"),
            [new NewDelivery("A", "A", DeliveryMode.Pull), new NewDelivery("B", "B", DeliveryMode.Pull), new NewDelivery("C", "C", DeliveryMode.Pull)],
            PostgresPackageStoreTests.Receipt);
        await packages.ConfirmAsync(saved.Deliveries[0].Id, done: true, null, "sys-a", Now);
        await packages.ConfirmAsync(saved.Deliveries[1].Id, done: false, "not ours", "sys-b", Now);

        var figures = await new PostgresStoreMonitor(data).ReadFiguresAsync();

        Assert.Equal(1, figures.Deliveries[DeliveryState.Pending]);
        Assert.Equal(1, figures.Deliveries[DeliveryState.Acknowledged]);
        Assert.Equal(1, figures.Deliveries[DeliveryState.Failed]);
        Assert.Equal(0, figures.Deliveries[DeliveryState.Delivered]);
        Assert.Equal(0, figures.Deliveries[DeliveryState.Retrying]);
        Assert.Equal(await PostgresPackageStoreTests.Scalar(data, "SELECT count(*) FROM lgsp.ledger"), figures.UnsealedEntries);
        Assert.Equal(await PostgresPackageStoreTests.Scalar(data, "SELECT at FROM lgsp.ledger ORDER BY seq LIMIT 1"), figures.OldestUnsealedAt?.UtcDateTime);
    }

    [Fact]
    public async Task The_probe_finds_a_database_that_answers_and_tells_why_one_does_not()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        await using var gone = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(fixture.ServerConnectionString) { Database = "no_such_database", Pooling = false }.ConnectionString);

        Assert.Null(await new PostgresStoreMonitor(data).ProbeAsync());
        Assert.IsType<PostgresException>(await new PostgresStoreMonitor(gone).ProbeAsync());
    }
}
