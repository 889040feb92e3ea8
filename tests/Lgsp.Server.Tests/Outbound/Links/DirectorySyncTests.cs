using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Outbound.Links;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>The directory sync: what it takes from the parent's <c>getSynchronizeUnit</c> and
/// <c>getAgenciesList</c> (units, tombstones, successor codes), that it passes them on down the tiers,
/// and that it never makes a loop of successors.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DirectorySyncTests(PostgresFixture postgres)
{
    private const string Root = HubTopologyTests.Root;
    private const string ProvinceA = HubTopologyTests.ProvinceA;
    private const string DistrictA1 = HubTopologyTests.DistrictA1;
    private const string ProvinceB = HubTopologyTests.ProvinceB;
    private const string CommuneA = HubTopologyTests.CommuneA;
    private const string CommuneB = HubTopologyTests.CommuneB;
    private const string MergedCommune = "000.63.20.H27";
    private const string DissolvedCommune = "000.64.20.H27";

    [Fact]
    public void A_unit_the_agency_list_names_as_succeeded_is_stored_inactive_with_its_successor()
    {
        var units = DirectorySync.Units(
            Items("""[{"id":"1","code":"OLD","name":"Xã cũ"},{"id":"2","code":"NEW","name":"Xã mới"}]"""), "self",
            DirectorySync.Successors(Items("""[{"id":"2","code":"NEW","name":"Xã mới","oldCode":"OLD"}]""")));

        var old = units.Single(a => a.Code == "OLD");
        Assert.Equal(("NEW", false), (old.SuccessorCode, old.Active));
        Assert.True(units.Single(a => a.Code == "NEW").Active);
    }

    [Fact]
    public void A_succeeded_code_the_units_do_not_list_is_added_so_documents_to_it_find_the_successor()
    {
        var units = DirectorySync.Units(Items("""[{"id":"2","code":"NEW","name":"Xã mới"}]"""), "self",
            new Dictionary<string, string> { ["OLD"] = "NEW" });

        var old = units.Single(a => a.Code == "OLD");
        Assert.Equal(("NEW", false, "OLD"), (old.SuccessorCode, old.Active, old.Name));
    }

    [Fact]
    public void A_succeeded_code_the_parent_says_this_hub_serves_is_left_to_this_hub()
    {
        var units = DirectorySync.Units(Items("""[{"id":"1","code":"MINE","centerCode":"self"},{"id":"2","code":"NEW"}]"""), "self",
            new Dictionary<string, string> { ["MINE"] = "NEW" });

        Assert.DoesNotContain(units, a => a.Code == "MINE");
    }

    [Fact]
    public void A_deleted_unit_becomes_an_inactive_tombstone()
    {
        var gone = Assert.Single(DirectorySync.Units(Items("""[{"id":"1","code":"GONE","name":"Xã","deleted":true}]"""), "self"));

        Assert.Equal((true, false), (gone.Deleted, gone.Active));
    }

    [Fact]
    public void Two_units_the_parent_makes_each_others_successor_keep_only_one_of_the_two_successors()
    {
        var (agencies, loops) = DirectorySync.WithoutSuccessorLoops([Remote("A", "B"), Remote("B", "A")], []);

        Assert.Equal([("A", "B")], loops);
        Assert.Equal([null, "A"], agencies.Select(a => a.SuccessorCode));
    }

    [Fact]
    public void A_successor_that_leads_back_to_an_agency_this_hub_retired_is_left_out()
    {
        var retiredHere = new Agency("LOCAL", "Xã", null, AgencyTier.Commune, false, "REMOTE", null, default);

        var (agencies, loops) = DirectorySync.WithoutSuccessorLoops([Remote("REMOTE", "LOCAL")], [retiredHere]);

        Assert.Equal([("REMOTE", "LOCAL")], loops);
        Assert.Null(Assert.Single(agencies).SuccessorCode);
    }

    [Fact]
    public void A_chain_of_successors_without_a_loop_is_kept_whole()
    {
        var (agencies, loops) = DirectorySync.WithoutSuccessorLoops([Remote("A", "B"), Remote("B", "C"), Remote("C", null)],
            [Remote("B", "A") with { ServedBy = "parent" }]);

        Assert.Empty(loops);
        Assert.Equal(["B", "C", null], agencies.Select(a => a.SuccessorCode));
    }

    [Fact]
    public async Task A_retirement_and_a_deletion_at_the_root_reach_a_district_hub_two_syncs_below()
    {
        await using var topology = await Topology.StartAsync(postgres,
            [new(Root, null), new(ProvinceA, Root), new(DistrictA1, ProvinceA), new(ProvinceB, Root)],
            [
                new(CommuneA, "UBND xã Hòa Sơn", AgencyTier.Commune, DistrictA1),
                new(CommuneB, "UBND xã Tân Lập", AgencyTier.Commune, ProvinceB),
                new(MergedCommune, "UBND xã Tân Lập Mới", AgencyTier.Commune, ProvinceB),
                new(DissolvedCommune, "UBND xã Tân Hòa", AgencyTier.Commune, ProvinceB),
            ],
            new Dictionary<string, string?> { ["Hub:Parent:DirectorySyncInterval"] = "00:00:01" });

        await using (var rootData = NpgsqlDataSource.Create(topology[Root].ConnectionString))
        {
            await new PostgresDirectoryStore(rootData, TimeProvider.System).RetireAgencyAsync(CommuneB, MergedCommune, "admin");
        }

        await topology[Root].QueryAsync("UPDATE lgsp.agency SET deleted = true, active = false WHERE code = $1", DissolvedCommune);

        foreach (var (hub, servedBy) in new[] { (ProvinceA, Root), (DistrictA1, ProvinceA) })
        {
            var retired = await topology.WaitForAsync(async () =>
                (await topology[hub].QueryAsync("SELECT successor_code, active, served_by FROM lgsp.agency WHERE code = $1", CommuneB)) is [var row] && row[0] is string
                    ? row : null,
                HubTopologyTests.Patience, $"the successor of {CommuneB} at {hub}");
            Assert.Equal(new object?[] { MergedCommune, false, servedBy }, retired);

            var tombstone = await topology.WaitForAsync(async () =>
                (await topology[hub].QueryAsync("SELECT deleted, active FROM lgsp.agency WHERE code = $1", DissolvedCommune)) is [var row] && row[0] is true
                    ? row : null,
                HubTopologyTests.Patience, $"the tombstone of {DissolvedCommune} at {hub}");
            Assert.Equal(new object?[] { true, false }, tombstone);
        }

        // The district's own commune is never taken over by what comes down.
        Assert.Equal(new object?[] { null, true }, (await topology[DistrictA1].QueryAsync("SELECT served_by, active FROM lgsp.agency WHERE code = $1", CommuneA))[0]);
    }

    private static Agency Remote(string code, string? successor) =>
        new(code, code, null, AgencyTier.Other, successor is null, successor, null, default) { ServedBy = "parent" };

    private static IReadOnlyList<JsonElement> Items(string json) => [.. JsonDocument.Parse(json).RootElement.EnumerateArray()];
}
