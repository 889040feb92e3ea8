using System.Diagnostics;
using Lgsp.Postgres.Schema;
using Lgsp.TestSupport.Postgres;
using Xunit.Abstractions;

namespace Lgsp.Postgres.Tests.Schema;

[Collection(PostgresCollection.Name)]
public sealed class PostgresFixtureTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public void The_fixture_started_one_temporary_cluster_and_created_its_template()
    {
        foreach (var line in postgres.StartupLog)
        {
            output.WriteLine(line);
        }

        Assert.Contains(postgres.StartupLog, l => l.StartsWith($"Created database {PostgresFixture.TemplateDatabase} in ", StringComparison.Ordinal));
        Assert.StartsWith(Path.GetTempPath(), postgres.Cluster.DataDirectory);
    }

    [Fact]
    public async Task A_fixture_database_is_already_migrated()
    {
        var watch = Stopwatch.StartNew();
        var database = await postgres.CreateDatabaseAsync();
        output.WriteLine($"TIMING database from the template: {watch.ElapsedMilliseconds} ms");

        Assert.Equal(0, await Migrator.ApplyAsync(database));
        Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT count(*) FROM lgsp.agency"));
    }

    [Fact]
    public async Task Fixture_databases_are_isolated_from_each_other()
    {
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();

        await Sql.ExecuteAsync(first, "INSERT INTO lgsp.agency (code, name, tier) VALUES ('000.00.00.G01', 'Văn phòng Chính phủ', 'central')");

        Assert.Equal(1L, await Sql.ScalarAsync(first, "SELECT count(*) FROM lgsp.agency"));
        Assert.Equal(0L, await Sql.ScalarAsync(second, "SELECT count(*) FROM lgsp.agency"));
        var third = await postgres.CreateDatabaseAsync();
        Assert.Equal(0L, await Sql.ScalarAsync(third, "SELECT count(*) FROM lgsp.agency"));
    }

    [Fact]
    public async Task Databases_can_be_created_concurrently_and_by_name()
    {
        var watch = Stopwatch.StartNew();
        var databases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => postgres.CreateDatabaseAsync())));
        output.WriteLine($"TIMING 8 databases from the template, concurrently: {watch.ElapsedMilliseconds} ms");
        var named = await postgres.CreateDatabaseAsync("named_by_the_test");

        Assert.Equal(8, databases.Distinct().Count());
        Assert.Equal("named_by_the_test", await Sql.ScalarAsync(named, "SELECT current_database()"));
        foreach (var database in databases)
        {
            Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT count(*) FROM lgsp.delivery"));
        }
    }

    [Fact]
    public async Task The_template_takes_no_connections()
    {
        var template = postgres.Cluster.ConnectionStringFor(PostgresFixture.TemplateDatabase);

        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => Sql.ScalarAsync(template, "SELECT 1"));
        Assert.Equal(false, await Sql.ScalarAsync(postgres.ServerConnectionString, $"SELECT datallowconn FROM pg_database WHERE datname = '{PostgresFixture.TemplateDatabase}'"));
    }
}
