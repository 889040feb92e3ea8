using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Hosting;
using Lgsp.Postgres.Schema;
using Lgsp.Postgres.Tests.Cluster;
using Lgsp.TestSupport.Postgres;
using Xunit.Abstractions;

namespace Lgsp.Postgres.Tests.Hosting;

/// <summary>Where the hub's database is, and opening and closing it as the hub and the commands do.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HubDatabaseTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void A_configured_connection_string_wins_and_without_one_the_private_cluster_is_in_the_data_directory()
    {
        var configured = HubDatabaseLocation.Choose("Host=db;Database=lgsp", "ConnectionStrings:Lgsp", "/srv/lgsp", "Hub:DataDirectory");
        var blank = HubDatabaseLocation.Choose(" ", "ConnectionStrings:Lgsp", "/srv/lgsp", "Hub:DataDirectory");
        var relative = HubDatabaseLocation.Choose(null, "ConnectionStrings:Lgsp", "var", "the default data directory");

        Assert.Equal(new HubDatabaseLocation("Host=db;Database=lgsp", null, "ConnectionStrings:Lgsp"), configured);
        Assert.Equal(new HubDatabaseLocation(null, "/srv/lgsp/pg", "Hub:DataDirectory"), blank);
        Assert.Equal(Path.GetFullPath(Path.Combine("var", "pg")), relative.ClusterDirectory);
    }

    [Fact]
    public async Task A_configured_database_is_migrated_when_opened_and_its_stores_work()
    {
        var connectionString = await fixture.CreateEmptyDatabaseAsync();
        var lines = new List<string>();

        await using var database = await HubDatabase.OpenAsync(new HubDatabaseLocation(connectionString, null, "test"), PrivateClusterUse.Own, lines.Add);

        Assert.False(database.OnPrivateCluster);
        Assert.Equal(connectionString, database.ConnectionString);
        Assert.Equal($"schema: {Migrator.Scripts.Count} migration(s) applied, {Migrator.Scripts.Count} in all", Assert.Single(lines));
        Assert.Empty(await database.Directory.ListAgenciesAsync());
    }

    [Fact]
    public async Task Borrowing_a_private_cluster_that_does_not_exist_fails_and_creates_nothing()
    {
        await using var scratch = new Scratch();

        var missing = await Assert.ThrowsAsync<PrivateClusterMissingException>(() =>
            HubDatabase.OpenAsync(new HubDatabaseLocation(null, scratch.Data, "test"), PrivateClusterUse.Borrow));

        Assert.Equal(scratch.Data, missing.Directory);
        Assert.False(Directory.Exists(scratch.Data));
    }

    [Fact]
    public async Task The_owner_of_the_private_cluster_creates_it_and_stops_it_on_closing_even_when_it_found_it_running()
    {
        await using var scratch = new Scratch();
        var location = new HubDatabaseLocation(null, scratch.Data, "test");

        await using (var created = await HubDatabase.OpenAsync(location, PrivateClusterUse.Own, output.WriteLine))
        {
            Assert.True(created.OnPrivateCluster);
            Assert.False(created.Cluster!.Reused);
            Assert.Empty(await created.Directory.ListAgenciesAsync());
        }

        Assert.False(File.Exists(Path.Combine(scratch.Data, "postmaster.pid")), "closing stops the cluster the owner started");

        await scratch.StartAsync(new PostgresClusterOptions { DataDirectory = scratch.Data }, output);
        await using (var found = await HubDatabase.OpenAsync(location, PrivateClusterUse.Own, output.WriteLine))
        {
            Assert.True(found.Cluster!.Reused);
        }

        Assert.False(File.Exists(Path.Combine(scratch.Data, "postmaster.pid")), "closing stops the cluster the owner found running");
    }
}
