using Lgsp.Exchange.People;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>Setting a console user's role (a single sign-on user's, mapped again at sign-in), on real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConsoleUserStoreTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Setting_a_role_replaces_role_and_agencies_and_writes_one_user_role_entry_under_the_actor()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var users = new PostgresConsoleUserStore(data, TimeProvider.System);
        await users.AddAsync(new ConsoleUser("sso:f3a9", ConsoleRole.Agency, ["000.00.02.H56"], "sso", null, false, 0, null, DateTimeOffset.UtcNow, null), "user:sso:f3a9");

        Assert.True(await users.SetRoleAsync("sso:f3a9", ConsoleRole.Auditor, [], "user:sso:f3a9"));

        var user = await users.FindAsync("sso:f3a9");
        Assert.Equal((ConsoleRole.Auditor, 0, "sso"), (user!.Role, user.Agencies.Count, user.Source));
        Assert.Equal([("user.added", "user:sso:f3a9"), ("user.role", "user:sso:f3a9")], await ChangesAsync(data, "sso:f3a9"));
    }

    [Fact]
    public async Task Setting_the_role_of_an_unknown_user_changes_nothing_and_writes_no_entry()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var users = new PostgresConsoleUserStore(data, TimeProvider.System);

        Assert.False(await users.SetRoleAsync("sso:nobody", ConsoleRole.Admin, [], "user:sso:nobody"));

        Assert.Empty(await ChangesAsync(data, "sso:nobody"));
    }

    private static async Task<List<(string Change, string Actor)>> ChangesAsync(NpgsqlDataSource data, string name)
    {
        await using var command = data.CreateCommand(
            "SELECT detail->>'change', actor FROM lgsp.ledger WHERE kind = 'user.changed' AND detail->>'name' = $1 ORDER BY seq");
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync();
        var changes = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            changes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return changes;
    }
}
