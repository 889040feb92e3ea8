using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Hub;

/// <summary><c>lgsp agencies pending/approve/reject</c> against a real database, over registrations a
/// client system asked for through the axis store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AgencyRegistrationCommandsTests(PostgresFixture fixture)
{
    private const string Commune = "000.00.61.H56";
    private const string Village = "000.01.61.H56";
    private const string System = "qlvb-hac-thanh";

    // A commune acting through its system, which asked to register a village under it.
    private static async Task<HubDatabase> WithWaitingRegistrationAsync(PostgresFixture fixture)
    {
        var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", Commune, "--name", "UBND phường Hạc Thành", "--tier", "commune");
        await db.Directory.SaveClientSystemAsync(System, SecretHash.Hash("TEST ONLY secret"), null, PackagePolicy.Strict, [Commune], "operator:test");
        var axis = new PostgresAxisStore(db.DataSource, TimeProvider.System);
        Assert.Equal(Lgsp.Exchange.Storage.AgencyChange.Pending, await axis.RegisterAgencyAsync(System, Village, "Thôn Đông", Commune, "thondong@example.gov.vn"));
        return db;
    }

    [Fact]
    public async Task Pending_lists_the_waiting_registrations_with_the_system_that_asked()
    {
        await using var db = await WithWaitingRegistrationAsync(fixture);

        var table = db.Ok("agencies", "pending");
        var json = JsonDocument.Parse(db.Ok("agencies", "pending", "--json")).RootElement;

        Assert.Contains(Village, table);
        Assert.Contains("Thôn Đông", table);
        Assert.Contains(System, table);
        Assert.Contains("1 registration waits for approval", table);
        var row = Assert.Single(json.EnumerateArray());
        Assert.Equal((Village, Commune, System), (row.GetProperty("code").GetString(), row.GetProperty("parent").GetString(), row.GetProperty("system").GetString()));
    }

    [Fact]
    public async Task Approve_adds_the_agency_owned_by_the_system_that_asked_and_records_the_operator_and_reason()
    {
        await using var db = await WithWaitingRegistrationAsync(fixture);

        var output = db.Ok("agencies", "approve", Village, "--reason", "confirmed by phone with the commune", "--actor", "operator:lan");

        Assert.StartsWith($"approved {Village} Thôn Đông under {Commune}, owned by {System}", output);
        var agency = await db.Directory.FindAgencyAsync(Village);
        Assert.Equal(("Thôn Đông", Commune, true), (agency!.Name, agency.ParentCode, agency.Active));
        Assert.Equal(System, await db.ScalarAsync("SELECT owner_system FROM lgsp.agency WHERE code = $1", Village));
        Assert.Equal(true, await db.ScalarAsync("SELECT registered FROM lgsp.client_system_agency WHERE system_id = $1 AND agency_code = $2", System, Village));
        var (kind, actor, detail) = (await db.LedgerAsync())[^1];
        var entry = JsonDocument.Parse(detail).RootElement;
        Assert.Equal(("directory.changed", "operator:lan"), (kind, actor));
        Assert.Equal(("agency.registration.approved", System, "confirmed by phone with the commune"),
            (entry.GetProperty("change").GetString(), entry.GetProperty("owner").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Contains("0 registrations wait", db.Ok("agencies", "pending"));
    }

    [Fact]
    public async Task Reject_leaves_the_directory_unchanged_and_records_the_reason()
    {
        await using var db = await WithWaitingRegistrationAsync(fixture);

        var output = db.Ok("agencies", "reject", Village, "--reason", "no such village", "--actor", "operator:lan");

        Assert.StartsWith($"rejected {Village} Thôn Đông, asked by {System}", output);
        Assert.Null(await db.Directory.FindAgencyAsync(Village));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.client_system_agency WHERE agency_code = $1", Village));
        var entry = JsonDocument.Parse((await db.LedgerAsync())[^1].Detail).RootElement;
        Assert.Equal(("agency.registration.rejected", "no such village"), (entry.GetProperty("change").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Equal("rejected", await db.ScalarAsync("SELECT state FROM lgsp.agency_registration WHERE code = $1", Village));
    }

    [Fact]
    public async Task A_decision_needs_a_reason_and_a_waiting_registration()
    {
        await using var db = await WithWaitingRegistrationAsync(fixture);

        var (noReasonExit, _, _) = db.Run("agencies", "approve", Village, "--reason", " ");
        var (unknownExit, _, unknownError) = db.Run("agencies", "approve", "000.02.61.H56", "--reason", "ok");
        db.Ok("agencies", "reject", Village, "--reason", "no such village");
        var (againExit, _, againError) = db.Run("agencies", "approve", Village, "--reason", "changed my mind");

        Assert.Equal(2, noReasonExit);
        Assert.Equal((1, 1), (unknownExit, againExit));
        Assert.Contains("NotFound", unknownError);
        Assert.Contains("NotFound", againError);
        Assert.Null(await db.Directory.FindAgencyAsync(Village));
    }

    [Fact]
    public async Task A_registration_for_a_code_an_operator_added_meanwhile_cannot_be_approved()
    {
        await using var db = await WithWaitingRegistrationAsync(fixture);
        db.Ok("agencies", "add", Village, "--name", "Thôn Đông (thật)", "--tier", "other", "--parent", Commune);

        var (exit, _, error) = db.Run("agencies", "approve", Village, "--reason", "ok");

        Assert.Equal(1, exit);
        Assert.Contains("reject the request", error);
        Assert.Equal(DBNull.Value, await db.ScalarAsync("SELECT owner_system FROM lgsp.agency WHERE code = $1", Village));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.client_system_agency WHERE agency_code = $1", Village));
    }

    [Fact]
    public async Task Adding_an_approved_registered_agency_clears_the_systems_ownership_and_mandate_in_the_ledger_entry()
    {
        await using var db = await WithWaitingRegistrationAsync(fixture);
        db.Ok("agencies", "approve", Village, "--reason", "confirmed");

        db.Ok("agencies", "add", Village, "--name", "Thôn Đông (thật)", "--actor", "operator:lan");

        Assert.Equal(DBNull.Value, await db.ScalarAsync("SELECT owner_system FROM lgsp.agency WHERE code = $1", Village));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.client_system_agency WHERE agency_code = $1", Village));
        var entry = JsonDocument.Parse((await db.LedgerAsync())[^1].Detail).RootElement;
        Assert.Equal(("agency.saved", System), (entry.GetProperty("change").GetString(), entry.GetProperty("clearedOwner").GetString()));
    }
}
