using Lgsp.Postgres.Ledger;
using Lgsp.Postgres.Schema;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Ledger;

[Collection(PostgresCollection.Name)]
public sealed class LedgerEnforcementTests(PostgresFixture fixture, LedgerTestHub hub) : IClassFixture<LedgerTestHub>
{
    private readonly LedgerTestHub _hub = hub;

    [Theory]
    [InlineData("UPDATE lgsp.ledger SET detail = '{}'")]
    [InlineData("DELETE FROM lgsp.ledger")]
    [InlineData("TRUNCATE lgsp.ledger")]
    [InlineData("UPDATE lgsp.ledger_seal SET content_hash = chain_hash")]
    [InlineData("DELETE FROM lgsp.ledger_seal")]
    [InlineData("TRUNCATE lgsp.ledger_seal CASCADE")]
    [InlineData("UPDATE lgsp.checkpoint SET count = count + 1")]
    [InlineData("DELETE FROM lgsp.checkpoint")]
    [InlineData("TRUNCATE lgsp.checkpoint CASCADE")]
    public async Task The_hubs_connection_cannot_change_or_remove_ledger_seal_or_checkpoint_rows(string sql)
    {
        var (connectionString, data) = await SealedAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(connectionString, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.True((await new PostgresLedger(data).VerifyAsync(_hub.Signer)).Holds);
    }

    [Fact]
    public async Task A_role_that_owns_the_tables_but_is_no_superuser_is_refused_by_privilege_even_with_the_triggers_disabled()
    {
        var role = "owner_" + Guid.NewGuid().ToString("N")[..8];
        await Sql.ExecuteAsync(fixture.ServerConnectionString, $"CREATE ROLE {role} LOGIN");
        var empty = new NpgsqlConnectionStringBuilder(await fixture.CreateEmptyDatabaseAsync()) { Pooling = false };
        await Sql.ExecuteAsync(fixture.ServerConnectionString, $"ALTER DATABASE \"{empty.Database}\" OWNER TO {role}");
        var asOwner = new NpgsqlConnectionStringBuilder(empty.ConnectionString) { Username = role }.ConnectionString;
        await Migrator.ApplyAsync(asOwner);
        await using var data = NpgsqlDataSource.Create(asOwner);
        await LedgerTestHub.AppendAsync(data, 1);

        await Sql.ExecuteAsync(asOwner, "ALTER TABLE lgsp.ledger DISABLE TRIGGER ledger_append_only");
        var update = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(asOwner, "UPDATE lgsp.ledger SET actor = 'x'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(asOwner, "DELETE FROM lgsp.ledger"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, delete.SqlState);
        Assert.Contains("permission denied", update.MessageText, StringComparison.Ordinal);
    }

    private async Task<(string ConnectionString, NpgsqlDataSource Data)> SealedAsync()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        var data = NpgsqlDataSource.Create(connectionString);
        await LedgerTestHub.AppendAsync(data, 3);
        await new PostgresLedgerSealer(data, TimeProvider.System).SealAsync(_hub.Identity);
        return (connectionString, data);
    }
}
