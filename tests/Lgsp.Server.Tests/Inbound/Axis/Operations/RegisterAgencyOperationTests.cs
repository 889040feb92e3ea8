using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Inbound.Axis.AxisEndpointTests;
using static Lgsp.Server.Tests.Inbound.Axis.AxisHub;

namespace Lgsp.Server.Tests.Inbound.Axis.Operations;

/// <summary><c>registerAgency</c> and <c>deleteAgency</c> against the takeover of agency codes: a system
/// registers only below its own agencies, a registration waits for an operator and routes nothing until
/// approved, and an operator's change ends the registering system's hold on the code.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RegisterAgencyOperationTests(PostgresFixture postgres)
{
    // A village under the commune: inside the commune system's subtree.
    private const string Village = "000.01.61.H56";

    private static string Registration(string code, string? parent) =>
        parent is null ? $$"""{"code":"{{code}}","name":"Thôn Đông"}""" : $$"""{"code":"{{code}}","name":"Thôn Đông","pcode":"{{parent}}"}""";

    [Theory]
    [InlineData("000.00.09.H56", Province)]
    [InlineData("000.01.02.H56", Finance)]
    [InlineData("000.00.09.H56", null)]
    public async Task A_system_may_not_register_a_code_outside_its_own_agencies(string code, string? parent)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var commune = hub.Sdk(Commune);

        var answer = await commune.RegisterAgencyAsync("{}", Registration(code, parent));

        Assert.Equal(("FAIL", parent is null ? "InvalidRequest" : "RegistrationOutsideMandate", "pcode"), (answer.Status, answer.ErrorCode, Field(answer)));
        Assert.Contains(" | ", answer.ErrorDesc, StringComparison.Ordinal);
        Assert.Equal(0L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.agency WHERE code = '{code}'"));
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.agency_registration"));
        Assert.Equal(0L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.client_system_agency WHERE agency_code = '{code}'"));
    }

    [Fact]
    public async Task An_auditor_system_may_not_register_an_agency_even_under_an_agency_it_acts_for()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var auditor = hub.Demo.Auditor!;
        await hub.ScalarAsync($"INSERT INTO lgsp.client_system_agency (system_id, agency_code) VALUES ('{auditor.Id}', '{Commune}')");
        using var client = new Sdk.VxpClient(hub.AxisUri.ToString(), auditor.Id, auditor.Secret);

        var answer = await client.RegisterAgencyAsync("{}", Registration(Village, Commune));

        Assert.Equal(("FAIL", "RegistrationNotAllowed", "code"), (answer.Status, answer.ErrorCode, Field(answer)));
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.agency_registration"));
        Assert.Equal(0L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.agency WHERE code = '{Village}'"));
    }

    [Fact]
    public async Task A_waiting_registration_routes_nothing_to_the_system_that_asked_until_an_operator_approves_it()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var commune = hub.Sdk(Commune);
        using var finance = hub.Sdk(Finance);

        var asked = await commune.RegisterAgencyAsync("{}", Registration(Village, Commune));
        var before = await finance.SendEdocAsync(Send(Finance), hub.SignedDocument(Finance, [Village]));

        Assert.Equal(("OK", "pending"), (asked.Status, asked.Json!["Registration"]!.GetValue<string>()));
        Assert.Equal("OK", before.Status);
        Assert.Equal("failed", await hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE package_id = {before.DocId}"));
        Assert.Equal(0, (await commune.CountReceiveEdocAsync(EdocList)).Count);
        Assert.Equal(0L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.agency WHERE code = '{Village}'"));

        await hub.ApproveAsync(Village);
        var after = await finance.SendEdocAsync(Send(Finance), hub.SignedDocument(Finance, [Village]));

        Assert.Equal("pending", await hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE package_id = {after.DocId}"));
        var item = Assert.Single((await commune.GetReceivedEdocListAsync(EdocList)).Items!);
        Assert.Equal(Village, item["to"]);
    }

    [Fact]
    public async Task After_an_operator_adds_a_registered_code_the_registering_system_neither_receives_for_it_nor_deletes_it()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var squatter = hub.Sdk(Commune);
        using var finance = hub.Sdk(Finance);
        Assert.Equal("OK", (await squatter.RegisterAgencyAsync("{}", Registration(Village, Commune))).Status);
        await hub.ApproveAsync(Village);

        await hub.OperatorSavesAsync(Village, "Thôn Đông (thật)", Commune, hub.System(Commune).Id);
        var deleted = await squatter.DeleteAgencyAsync($$"""{"AgencyCode":"{{Village}}"}""");
        var sent = await finance.SendEdocAsync(Send(Finance), hub.SignedDocument(Finance, [Village]));

        Assert.Equal(("FAIL", "Forbidden", "AgencyCode"), (deleted.Status, deleted.ErrorCode, Field(deleted)));
        Assert.Equal(false, await hub.ScalarAsync($"SELECT deleted FROM lgsp.agency WHERE code = '{Village}'"));
        Assert.Equal(DBNull.Value, await hub.ScalarAsync($"SELECT owner_system FROM lgsp.agency WHERE code = '{Village}'"));
        Assert.Equal(0L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.client_system_agency WHERE agency_code = '{Village}'"));
        Assert.Equal("pending", await hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE package_id = {sent.DocId}"));
        Assert.Equal(0, (await squatter.CountReceiveEdocAsync(EdocList)).Count);
        Assert.Empty((await squatter.GetReceivedEdocListAsync(EdocList)).Items!);
        Assert.Equal(hub.System(Commune).Id,
            await hub.ScalarAsync($"SELECT detail->>'clearedOwner' FROM lgsp.ledger WHERE detail->>'change' = 'agency.saved' AND detail->>'Code' = '{Village}'"));
    }

    [Fact]
    public async Task Under_the_refuse_setting_every_registration_is_refused_and_sends_the_caller_to_the_provincial_office()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:Axis:Registration"] = "refuse" });
        using var commune = hub.Sdk(Commune);

        var answer = await commune.RegisterAgencyAsync("{}", Registration(Village, Commune));

        Assert.Equal(("FAIL", "RegistrationClosed", "code"), (answer.Status, answer.ErrorCode, Field(answer)));
        Assert.Contains("provincial office", answer.ErrorDesc, StringComparison.Ordinal);
        Assert.Contains("đơn vị vận hành cấp tỉnh", answer.ErrorDesc, StringComparison.Ordinal);
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.agency_registration"));
    }
}
