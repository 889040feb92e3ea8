using Lgsp.Exchange.Routing;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Lgsp.Postgres.Tests.Storage;

// Routing a package's recipients reads the directory once for all of them (bench/README.md, "Accept").
[Collection(PostgresCollection.Name)]
public sealed class PostgresDirectoryStoreRoutingTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task RoutingTwoHundredRecipientsReadsTheDirectoryAsOftenAsRoutingThree()
    {
        var (data, router, database) = await OpenAsync();
        await Execute(data, "INSERT INTO lgsp.agency (code, name, tier) SELECT 'C' || i, 'Commune ' || i, 'commune' FROM generate_series(1, 200) AS i");
        await router.ResolveAllAsync(Codes(3), []);

        using var roundTrips = new NpgsqlRoundTrips(database);
        var three = await router.ResolveAllAsync(Codes(3), []);
        var forThree = roundTrips.Take();
        var twoHundred = await router.ResolveAllAsync(Codes(200), []);
        var forTwoHundred = roundTrips.Take();

        output.WriteLine($"3 recipients: {forThree.Count} round trips; 200 recipients: {forTwoHundred.Count}");
        Assert.Single(forThree);
        Assert.Single(forTwoHundred);
        Assert.All(three.Concat(twoHundred), r => Assert.Equal(RouteKind.Local, r.Kind));
        Assert.Equal(Codes(200), twoHundred.Select(r => r.Recipient));
    }

    [Fact]
    public async Task OneReadFollowsARetiredCodeToItsActiveSuccessor()
    {
        var (data, router, database) = await OpenAsync();
        await Execute(data, """
            INSERT INTO lgsp.agency (code, name, tier) VALUES ('NEW', 'Merged commune', 'commune');
            INSERT INTO lgsp.agency (code, name, tier, active, successor_code) VALUES ('MID', 'Retired once', 'commune', false, 'NEW');
            INSERT INTO lgsp.agency (code, name, tier, active, successor_code) VALUES ('OLD', 'Retired twice', 'commune', false, 'MID');
            """);

        using var roundTrips = new NpgsqlRoundTrips(database);
        var route = Assert.Single(await router.ResolveAllAsync(["OLD"], []));

        Assert.Single(roundTrips.Take());
        Assert.Equal(RouteKind.Local, route.Kind);
        Assert.Equal("NEW", route.Recipient);
        Assert.Equal(["OLD", "MID"], route.Redirects);
    }

    private static string[] Codes(int count) => [.. Enumerable.Range(1, count).Select(i => $"C{i}")];

    private static async Task Execute(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<(NpgsqlDataSource, Router, string)> OpenAsync()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        var data = NpgsqlDataSource.Create(connectionString);
        return (data, new Router(new PostgresDirectoryStore(data, TimeProvider.System)), new NpgsqlConnectionStringBuilder(connectionString).Database!);
    }
}
