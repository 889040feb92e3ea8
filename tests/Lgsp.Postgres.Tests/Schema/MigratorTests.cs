using Lgsp.Postgres.Schema;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Postgres.Tests.Schema;

[Collection(PostgresCollection.Name)]
public sealed class MigratorTests(PostgresFixture postgres)
{
    [Fact]
    public void The_scripts_are_the_embedded_ones_in_name_order()
    {
        Assert.Equal("0001_hub", Migrator.Scripts[0]);
        Assert.Equal(Migrator.Scripts.Order(StringComparer.Ordinal), Migrator.Scripts);
        Assert.Contains("CREATE SCHEMA IF NOT EXISTS lgsp;", Migrator.Read("0001_hub"));
    }

    [Fact]
    public async Task The_first_run_applies_0001_and_a_second_run_applies_nothing()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();

        Assert.Equal(Migrator.Scripts.Count, await Migrator.ApplyAsync(database));
        Assert.Equal(0, await Migrator.ApplyAsync(database));

        Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT count(*) FROM lgsp.package"));
        Assert.Equal("0001_hub", await Sql.ScalarAsync(database, "SELECT string_agg(name, ',' ORDER BY name) FROM lgsp_schema.migration WHERE name = '0001_hub'"));
        Assert.Equal((long)Migrator.Scripts.Count, await Sql.ScalarAsync(database, "SELECT count(*) FROM lgsp_schema.migration"));
    }

    [Fact]
    public async Task Concurrent_runs_on_a_fresh_database_apply_each_script_exactly_once_between_them()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator.ApplyAsync(database))));

        Assert.Equal(Migrator.Scripts.Count, applied.Sum());
        Assert.Equal((long)Migrator.Scripts.Count, await Sql.ScalarAsync(database, "SELECT count(*) FROM lgsp_schema.migration"));
    }

    [Fact]
    public async Task The_migration_table_lives_in_its_own_schema_and_the_scripts_create_the_application_schema()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();
        Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('lgsp', 'lgsp_schema')"));

        await Migrator.ApplyAsync(database);

        Assert.Equal(
            "agency,agency_certificate,agency_registration,axis_send,calendar_day,checkpoint,client_system,client_system_agency,console_user,countersignature,crl,data_protection_key,delivery,delivery_attempt,hub,ledger,ledger_check,ledger_seal,package,report_attachment,report_package,report_recipient,report_rollup,report_rollup_state,trust_certificate,witnessed_checkpoint",
            await Sql.ScalarAsync(database, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'lgsp'"));
        Assert.Equal("migration", await Sql.ScalarAsync(database, "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'lgsp_schema'"));
    }
}
