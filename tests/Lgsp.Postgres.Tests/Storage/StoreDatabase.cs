using Lgsp.Exchange.Directory;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>A fresh database of the test cluster and the hub's stores over it: what a store test opens
/// first. Disposing it closes its connections.</summary>
internal sealed class StoreDatabase : IAsyncDisposable
{
    private StoreDatabase(NpgsqlDataSource data)
    {
        Data = data;
        Packages = new PostgresPackageStore(data);
        Directory = new PostgresDirectoryStore(data, TimeProvider.System);
        Deliveries = new PostgresDeliveryStore(data);
        Forwards = new PostgresForwardStore(data);
        FarReports = new PostgresFarReportStore(data);
    }

    public NpgsqlDataSource Data { get; }

    public PostgresPackageStore Packages { get; }

    public PostgresDirectoryStore Directory { get; }

    public PostgresDeliveryStore Deliveries { get; }

    public PostgresForwardStore Forwards { get; }

    public PostgresFarReportStore FarReports { get; }

    /// <summary>Opens a new database copied from the migrated template, with <paramref name="hubs"/> in its directory.</summary>
    public static async Task<StoreDatabase> OpenAsync(PostgresFixture fixture, params HubLink[] hubs)
    {
        var database = new StoreDatabase(NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync()));
        foreach (var hub in hubs)
        {
            await database.Directory.SaveHubAsync(hub, "test");
        }

        return database;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Data.DisposeAsync();
}
