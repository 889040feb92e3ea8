using System.Globalization;
using Lgsp.Server.Tests.Support;
using static Lgsp.Server.Tests.Inbound.Axis.AxisHub;

namespace Lgsp.Server.Tests.Inbound.Axis;

// The directory over the axis: the listing, and a system registering, updating and deleting its own agencies.
public sealed partial class AxisEndpointTests
{
    [Fact]
    public async Task The_directory_lists_numeric_ids_parents_successor_codes_and_tiers_by_level()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var list = (await client.GetAgenciesListAsync()).Items!;
        var province = list.Single(a => a["code"] == Province);
        var finance = list.Single(a => a["code"] == Finance);
        Assert.Equal("", province["pid"]);
        Assert.Equal(province["id"], finance["pid"]);
        Assert.True(long.Parse(finance["id"], CultureInfo.InvariantCulture) > 0);
        Assert.Equal("000.00.04.H56", finance["oldCode"]);
        Assert.DoesNotContain(list, a => a["code"] == "000.00.04.H56");
        Assert.Equal("UBND tỉnh Thanh Hóa", province["name"]);

        var level1 = (await client.GetAgenciesListQD20Async("""{"level":"1"}""")).Items!;
        Assert.Equal([Province], level1.Select(a => a["code"]));
        Assert.Equal(Province, level1[0]["code102"]);
        var level3 = (await client.GetAgenciesListQD20Async("""{"level":"3"}""")).Items!;
        Assert.Equal(["000.00.61.H56", "000.00.62.H56", "000.00.63.H56"], level3.Select(a => a["code"]).Order());

        var sync = (await client.GetSynchronizeUnitAsync()).Items!;
        Assert.Equal(list.Count + 1, sync.Count);
        Assert.All(sync, a =>
        {
            Assert.Equal((hub.HubId(), "true", "false"), (a["centerCode"], a["isAgency"], a["deleted"]));
            Assert.True(int.Parse(a["version"], CultureInfo.InvariantCulture) >= 1);
            Assert.True(IsProtocolTime(a["modifyDate"]));
        });
    }

    [Fact]
    public async Task A_system_registers_updates_and_deletes_its_own_agency_with_versions_and_a_tombstone_each_registration_once_approved()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);
        const string body = """{"id":"","pcode":"000.00.61.H56","code":"000.01.61.H56","name":"Thôn Đông (thử)","mail":"thondong@example.gov.vn","mobile":"","fax":""}""";

        var asked = await client.RegisterAgencyAsync("{}", body);
        Assert.Equal(("OK", "pending"), (asked.Status, asked.Json!["Registration"]!.GetValue<string>()));
        Assert.Equal("OK", (await client.RegisterAgencyAsync("{}", body)).Status);
        Assert.DoesNotContain((await client.GetAgenciesListAsync()).Items!, a => a["code"] == "000.01.61.H56");
        await hub.ApproveAsync("000.01.61.H56");
        var registered = (await client.GetAgenciesListAsync()).Items!.Single(a => a["code"] == "000.01.61.H56");
        var parent = (await client.GetAgenciesListAsync()).Items!.Single(a => a["code"] == Commune);
        Assert.Equal((parent["id"], "Thôn Đông (thử)", "thondong@example.gov.vn"), (registered["pid"], registered["name"], registered["mail"]));
        Assert.Equal("1", Version(await client.GetSynchronizeUnitAsync(), "000.01.61.H56"));
        Assert.Equal(hub.System(Commune).Id, await hub.ScalarAsync("SELECT system_id FROM lgsp.client_system_agency WHERE agency_code = '000.01.61.H56' AND registered"));
        Assert.Equal(1L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.ledger WHERE kind = 'directory.changed' AND actor = '{hub.System(Commune).Id}'"));

        Assert.Equal("OK", (await client.RegisterAgencyAsync("{}", body.Replace("Thôn Đông", "Thôn Tây", StringComparison.Ordinal))).Status);
        Assert.Equal("1", Version(await client.GetSynchronizeUnitAsync(), "000.01.61.H56"));
        await hub.ApproveAsync("000.01.61.H56");
        Assert.Equal("2", Version(await client.GetSynchronizeUnitAsync(), "000.01.61.H56"));

        Assert.Equal("OK", (await client.DeleteAgencyAsync("""{"AgencyCode":"000.01.61.H56"}""")).Status);
        Assert.Equal("OK", (await client.DeleteAgencyAsync("""{"AgencyCode":"000.01.61.H56"}""")).Status);
        var tombstone = (await client.GetSynchronizeUnitAsync()).Items!.Single(a => a["code"] == "000.01.61.H56");
        Assert.Equal(("3", "true"), (tombstone["version"], tombstone["deleted"]));
        Assert.DoesNotContain((await client.GetAgenciesListAsync()).Items!, a => a["code"] == "000.01.61.H56");
        Assert.Equal(3L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.ledger WHERE kind = 'directory.changed' AND actor = '{hub.System(Commune).Id}'"));
        Assert.Equal(2L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE detail->>'change' = 'agency.registration.approved'"));
    }

    [Fact]
    public async Task A_system_may_not_take_over_an_agency_an_administrator_or_another_system_registered()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var commune = hub.Sdk(Commune);
        using var finance = hub.Sdk(Finance);
        Assert.Equal("OK", (await commune.RegisterAgencyAsync("{}", $$"""{"code":"000.01.61.H56","name":"Thôn Đông","pcode":"{{Commune}}"}""")).Status);
        var waiting = await finance.RegisterAgencyAsync("{}", $$"""{"code":"000.01.61.H56","name":"Hijacked","pcode":"{{Finance}}"}""");
        await hub.ApproveAsync("000.01.61.H56");

        var adminOwned = await finance.RegisterAgencyAsync("{}", $$"""{"code":"{{Province}}","name":"Hijacked","pcode":"{{Finance}}"}""");
        var systemOwned = await finance.RegisterAgencyAsync("{}", $$"""{"code":"000.01.61.H56","name":"Hijacked","pcode":"{{Finance}}"}""");
        var deleted = await finance.DeleteAgencyAsync("""{"AgencyCode":"000.01.61.H56"}""");
        var unknown = await finance.DeleteAgencyAsync("""{"AgencyCode":"999.99.99.H56"}""");

        Assert.Equal(("FAIL", "Forbidden", "code"), (waiting.Status, waiting.ErrorCode, Field(waiting)));
        Assert.Equal(("FAIL", "Forbidden", "code"), (adminOwned.Status, adminOwned.ErrorCode, Field(adminOwned)));
        Assert.Equal(("FAIL", "Forbidden", "code"), (systemOwned.Status, systemOwned.ErrorCode, Field(systemOwned)));
        Assert.Equal(("FAIL", "Forbidden", "AgencyCode"), (deleted.Status, deleted.ErrorCode, Field(deleted)));
        Assert.Equal(("FAIL", "NotFound", "AgencyCode"), (unknown.Status, unknown.ErrorCode, Field(unknown)));
        Assert.Equal("UBND tỉnh Thanh Hóa", await hub.ScalarAsync($"SELECT name FROM lgsp.agency WHERE code = '{Province}'"));
        Assert.Equal("Thôn Đông", await hub.ScalarAsync("SELECT name FROM lgsp.agency WHERE code = '000.01.61.H56' AND NOT deleted"));
    }

    [Theory]
    [InlineData("""{"id":"","pcode":"00.22.W00","code":"999.010.01.H22","name":"Hà giang test V4 ","mail":cc"","mobile":"","fax":""}""", "body")]
    [InlineData("""["code","name"]""", "body")]
    [InlineData("""{"code":"000.01.61.H56"}""", "name")]
    [InlineData("""{"name":"Thôn"}""", "code")]
    [InlineData("""{"code":"000.01.61.H56","name":"Thôn","pcode":"999.99.99.H99"}""", "pcode")]
    public async Task A_registerAgency_body_that_is_malformed_or_incomplete_is_a_FAIL_naming_the_field(string body, string field)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var answer = await client.RegisterAgencyAsync("{}", body);

        Assert.Equal((200, "FAIL", field), (answer.HttpStatus, answer.Status, Field(answer)));
        Assert.Contains(" | ", answer.ErrorDesc, StringComparison.Ordinal);
    }
}
