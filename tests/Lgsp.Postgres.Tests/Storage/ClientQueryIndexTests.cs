using Lgsp.Exchange.Ledger;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The queries a client can trigger through the axis door stay cheap on a hub with a few
/// thousand rows: the plan PostgreSQL chooses uses an index, or at least does not scan the big table
/// once per row (migration 0011).</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClientQueryIndexTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Update_status_processing_finds_earlier_entries_of_its_delivery_through_an_index_not_a_ledger_scan()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await Sql.ExecuteAsync(connectionString, """
            INSERT INTO lgsp.ledger (at, kind, actor, delivery_id, detail)
            SELECT now(), CASE WHEN g % 3 = 0 THEN 'delivery.processing' ELSE 'delivery.created' END, 'test', g % 2000, '{}'::jsonb
            FROM generate_series(1, 6000) g;
            ANALYZE lgsp.ledger;
            """);

        var plan = await ExplainAsync(connectionString, PostgresAxisStore.ProcessingLookupSql, 1234L, LedgerKind.DeliveryProcessing);

        Assert.DoesNotContain("Seq Scan on ledger", plan, StringComparison.Ordinal);
        Assert.Contains("ledger_delivery_kind", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agency_listing_reads_each_replaced_code_in_one_pass_not_a_subquery_per_agency()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await Sql.ExecuteAsync(connectionString, """
            INSERT INTO lgsp.agency (code, name, tier) SELECT 'A' || g, 'Agency ' || g, 'other' FROM generate_series(1, 4000) g;
            UPDATE lgsp.agency SET successor_code = 'A' || (substr(code, 2)::int + 1), active = false
            WHERE substr(code, 2)::int % 10 = 0 AND substr(code, 2)::int < 4000;
            ANALYZE lgsp.agency;
            """);

        var plan = await ExplainAsync(connectionString, PostgresAxisStore.ListAgenciesSql);

        Assert.DoesNotContain("SubPlan", plan, StringComparison.Ordinal);
        await using var data = NpgsqlDataSource.Create(connectionString);
        var agencies = await new PostgresAxisStore(data, TimeProvider.System).ListAgenciesAsync();
        Assert.Equal(4000, agencies.Count);
        Assert.Equal("A10", agencies.Single(a => a.Code == "A11").OldCode);
        Assert.Null(agencies.Single(a => a.Code == "A12").OldCode);
    }

    private static async Task<string> ExplainAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.AddWithValue(p);
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
