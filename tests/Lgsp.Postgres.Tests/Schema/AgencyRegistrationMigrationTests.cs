using Lgsp.Postgres.Schema;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Postgres.Tests.Schema;

/// <summary>Migration 0010 over a hub that already has agencies client systems registered.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AgencyRegistrationMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Agencies_registered_before_approvals_stay_approved_and_their_mandate_is_marked_as_the_registrations()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();
        await Migrator.ApplyAsync(database);

        // The schema as it was before 0010, with an agency a system registered and one an operator gave it.
        await Sql.ExecuteAsync(database, """
            DROP TABLE lgsp.agency_registration;
            ALTER TABLE lgsp.client_system_agency DROP COLUMN registered;
            DELETE FROM lgsp_schema.migration WHERE name = '0010_agency_registration';
            INSERT INTO lgsp.agency (code, name, tier, changed_at) VALUES ('000.00.61.H56', 'Commune', 'commune', now());
            INSERT INTO lgsp.client_system (id, secret_hash, policy) VALUES ('qlvb-hac-thanh', 'x', 'strict');
            INSERT INTO lgsp.agency (code, name, parent_code, tier, owner_system, changed_at) VALUES ('000.01.61.H56', 'Village', '000.00.61.H56', 'other', 'qlvb-hac-thanh', now());
            INSERT INTO lgsp.client_system_agency (system_id, agency_code) VALUES ('qlvb-hac-thanh', '000.00.61.H56'), ('qlvb-hac-thanh', '000.01.61.H56');
            """);

        Assert.Equal(1, await Migrator.ApplyAsync(database));

        Assert.Equal(true, await Sql.ScalarAsync(database, "SELECT registered FROM lgsp.client_system_agency WHERE agency_code = '000.01.61.H56'"));
        Assert.Equal(false, await Sql.ScalarAsync(database, "SELECT registered FROM lgsp.client_system_agency WHERE agency_code = '000.00.61.H56'"));
        Assert.Equal("qlvb-hac-thanh", await Sql.ScalarAsync(database, "SELECT owner_system FROM lgsp.agency WHERE code = '000.01.61.H56' AND active AND NOT deleted"));
        Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT count(*) FROM lgsp.agency_registration"));
    }
}
