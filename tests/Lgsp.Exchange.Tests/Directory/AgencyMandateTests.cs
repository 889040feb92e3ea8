using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Fakes;
using Lgsp.Exchange.Tests.Routing;

namespace Lgsp.Exchange.Tests.Directory;

public sealed class AgencyMandateTests
{
    private static readonly HubLink Parent = new("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "province-a", [1], null, true);
    private static readonly HubLink Child = new("district-1", HubRole.Child, null, null, null, "district-1-system", true);

    private static readonly ClientSystem Finance = new("finance-system", PackagePolicy.Strict, new HashSet<string> { "F" });
    private static readonly ClientSystem ChildHub = new("district-1-system", PackagePolicy.Strict, new HashSet<string>()) { Hub = Child.Id };
    private static readonly ClientSystem ParentHub = new("national-system", PackagePolicy.Strict, new HashSet<string>()) { Hub = Parent.Id };

    private static readonly DeliveryRecord ToFinance = new(1, 10, PackageKind.Document, "doc-1", "F", DeliveryState.Pending);
    private static readonly DeliveryRecord ViaChild = new(2, 11, PackageKind.Document, "doc-2", "C1", DeliveryState.Pending) { Via = Child.Id, Mode = DeliveryMode.Pull };
    private static readonly DeliveryRecord ToParent = new(3, 12, PackageKind.Document, "doc-3", "X", DeliveryState.Pending) { Via = Parent.Id, Mode = DeliveryMode.Push };

    private static Agency Local(string code, string? servedBy = null) =>
        new(code, code, null, AgencyTier.Department, true, null, null, default) { ServedBy = servedBy };

    private static AgencyMandate Mandate() => Mandate(new InMemoryDirectory([Local("F"), Local("L"), Local("C1", servedBy: Child.Id)], [Parent, Child]));

    private static AgencyMandate Mandate(InMemoryDirectory directory) => new(new Router(directory), new Deliveries(ToFinance, ViaChild, ToParent), directory);

    // A province, a commune under it, a village under the commune, and another department.
    private const string Province = "000.00.00.H56";
    private const string Commune = "000.00.61.H56";
    private const string Village = "000.01.61.H56";
    private const string Department = "000.00.02.H56";

    private static readonly ClientSystem CommuneSystem = new("commune-system", PackagePolicy.Strict, new HashSet<string> { Commune });

    private static AgencyMandate Registrations() => Mandate(new InMemoryDirectory([
        new Agency(Province, "UBND", null, AgencyTier.Province, true, null, null, default),
        new Agency(Commune, "Commune", Province, AgencyTier.Commune, true, null, null, default),
        new Agency(Village, "Village", Commune, AgencyTier.Other, true, null, null, default),
        new Agency(Department, "Department", Province, AgencyTier.Department, true, null, null, default),
    ]));

    [Fact]
    public async Task A_client_system_may_register_under_its_own_agency_and_below_it()
    {
        var mandate = Registrations();

        Assert.Equal(("000.02.61.H56", Commune), await mandate.CheckRegistrationAsync(CommuneSystem, " 000.02.61.h56 ", Commune));
        Assert.Equal(("000.03.61.H56", Village), await mandate.CheckRegistrationAsync(CommuneSystem, "000.03.61.H56", Village));
    }

    [Theory]
    [InlineData("000.00.05.H56", Province, "RegistrationOutsideMandate", "pcode")]
    [InlineData("000.01.02.H56", Department, "RegistrationOutsideMandate", "pcode")]
    [InlineData("000.02.61.H56", "000.09.61.H56", "NotFound", "pcode")]
    [InlineData("000.02.61.H56", null, "InvalidRequest", "pcode")]
    [InlineData("28.22.H17", Commune, "InvalidAgencyCode", "code")]
    [InlineData("000.02.61.H56", "61.H56", "InvalidAgencyCode", "pcode")]
    [InlineData(Commune, Commune, "InvalidRequest", "pcode")]
    public async Task A_registration_outside_the_callers_subtree_or_with_a_bad_code_is_refused_naming_the_field(string code, string? parent, string error, string field)
    {
        var refusal = await Assert.ThrowsAsync<ExchangeException>(() => Registrations().CheckRegistrationAsync(CommuneSystem, code, parent));

        Assert.Equal((error, field), (refusal.Error.Code, refusal.Error.Field));
        Assert.False(string.IsNullOrEmpty(refusal.Error.MessageVi));
    }

    [Fact]
    public async Task An_auditor_and_a_system_without_agencies_of_its_own_register_nothing()
    {
        var auditor = CommuneSystem with { IsAuditor = true };
        var hub = new ClientSystem("hub-system", PackagePolicy.Strict, new HashSet<string>()) { Hub = Child.Id };

        var byAuditor = await Assert.ThrowsAsync<ExchangeException>(() => Registrations().CheckRegistrationAsync(auditor, "000.02.61.H56", Commune));
        var byHub = await Assert.ThrowsAsync<ExchangeException>(() => Registrations().CheckRegistrationAsync(hub, "000.02.61.H56", Commune));

        Assert.Equal(("RegistrationNotAllowed", "code"), (byAuditor.Error.Code, byAuditor.Error.Field));
        Assert.Equal(("RegistrationOutsideMandate", "pcode"), (byHub.Error.Code, byHub.Error.Field));
    }

    [Fact]
    public async Task A_client_system_sends_as_the_agencies_it_is_registered_for_and_no_other()
    {
        var mandate = Mandate();
        Assert.True(await mandate.MaySendAsAsync(Finance, "F"));
        Assert.False(await mandate.MaySendAsAsync(Finance, "L"));
        Assert.False(await mandate.MaySendAsAsync(Finance, null));
    }

    [Fact]
    public async Task A_child_hub_sends_as_the_agencies_it_serves_and_not_as_this_hubs_own()
    {
        var mandate = Mandate();
        Assert.True(await mandate.MaySendAsAsync(ChildHub, "C1"));
        Assert.False(await mandate.MaySendAsAsync(ChildHub, "L"));
        Assert.False(await mandate.MaySendAsAsync(ChildHub, "X"));
    }

    [Fact]
    public async Task The_parent_hub_sends_as_codes_beyond_this_hub_but_not_as_agencies_below_it()
    {
        var mandate = Mandate();
        Assert.True(await mandate.MaySendAsAsync(ParentHub, "X"));
        Assert.False(await mandate.MaySendAsAsync(ParentHub, "L"));
        Assert.False(await mandate.MaySendAsAsync(ParentHub, "C1"));
        Assert.False(await mandate.MaySendAsAsync(ParentHub, null));
    }

    [Fact]
    public void A_client_system_may_not_claim_a_sender_it_does_not_act_for()
    {
        var refused = Assert.Throws<ExchangeException>(() => AgencyMandate.CheckClaimedSender(Finance, "L", "from"));
        Assert.Equal((HubErrorCode.Forbidden, "from"), (refused.Error.Code, refused.Error.Field));
    }

    [Fact]
    public void Its_own_agency_an_empty_claim_and_any_claim_by_a_hub_pass_on_to_the_accept_path()
    {
        AgencyMandate.CheckClaimedSender(Finance, "F", "from");
        AgencyMandate.CheckClaimedSender(Finance, null, "from");
        AgencyMandate.CheckClaimedSender(Finance, "", "from");
        AgencyMandate.CheckClaimedSender(ChildHub, "L", "from");
    }

    [Fact]
    public void A_client_system_may_not_name_a_recipient_it_does_not_act_for()
    {
        var refused = Assert.Throws<ExchangeException>(() => AgencyMandate.CheckNamedRecipient(Finance, "L", "Agency"));
        Assert.Equal((HubErrorCode.Forbidden, "Agency"), (refused.Error.Code, refused.Error.Field));
        Assert.Throws<ExchangeException>(() => AgencyMandate.CheckNamedRecipient(Finance, "", "Agency"));
    }

    [Fact]
    public void Its_own_agency_no_recipient_and_any_recipient_named_by_a_hub_pass()
    {
        AgencyMandate.CheckNamedRecipient(Finance, "F", "Agency");
        AgencyMandate.CheckNamedRecipient(Finance, null, "Agency");
        AgencyMandate.CheckNamedRecipient(ChildHub, "L", "Agency");
    }

    [Fact]
    public async Task A_numeric_id_finds_the_callers_delivery_and_refuses_like_the_written_one()
    {
        var mandate = Mandate();
        Assert.Equal(ToFinance, await mandate.OwnDeliveryAsync(Finance, 1L, "Id"));
        Assert.Equal(ViaChild, await mandate.OwnDeliveryAsync(ChildHub, 2L, "Id"));
        var forbidden = await AssertRefusedAsync(() => mandate.OwnDeliveryAsync(Finance, 2L, "Id"), HubErrorCode.Forbidden, "Id");
        Assert.Contains("C1", forbidden.Message, StringComparison.Ordinal);
        var missing = await AssertRefusedAsync(() => mandate.OwnDeliveryAsync(Finance, -1L, "Id"), HubErrorCode.NotFound, "Id");
        Assert.Contains("'-1'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_system_finds_a_delivery_to_its_agency_by_the_id_it_wrote()
    {
        Assert.Equal(ToFinance, await Mandate().OwnDeliveryAsync(Finance, "1", "docId"));
        Assert.Equal(ToFinance, await Mandate().OwnDeliveryAsync(Finance, " 1 ", "docId"));
    }

    [Fact]
    public async Task A_hub_finds_only_the_pull_deliveries_that_go_via_it()
    {
        var mandate = Mandate();
        Assert.Equal(ViaChild, await mandate.OwnDeliveryAsync(ChildHub, "2", "docId"));
        await AssertRefusedAsync(() => mandate.OwnDeliveryAsync(ParentHub, "3", "docId"), HubErrorCode.Forbidden, "docId");
        await AssertRefusedAsync(() => mandate.OwnDeliveryAsync(ChildHub, "1", "docId"), HubErrorCode.Forbidden, "docId");
    }

    [Fact]
    public async Task Another_agencys_delivery_is_forbidden_naming_the_field_and_the_recipient()
    {
        var refused = await AssertRefusedAsync(() => Mandate().OwnDeliveryAsync(Finance, "2", "docId"), HubErrorCode.Forbidden, "docId");
        Assert.Contains("C1", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("01x")]
    public async Task An_id_that_names_no_delivery_is_not_found_and_quoted_as_written(string id)
    {
        var refused = await AssertRefusedAsync(() => Mandate().OwnDeliveryAsync(Finance, id, "docId"), HubErrorCode.NotFound, "docId");
        Assert.Contains($"'{id}'", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_missing_id_is_an_invalid_request_naming_the_field(string? id) =>
        await AssertRefusedAsync(() => Mandate().OwnDeliveryAsync(Finance, id, "docId"), HubErrorCode.InvalidRequest, "docId");

    private static async Task<Lgsp.Edxml.Errors.EdxmlError> AssertRefusedAsync(Func<Task> act, string code, string field)
    {
        var refused = await Assert.ThrowsAsync<ExchangeException>(act);
        Assert.Equal((code, field), (refused.Error.Code, refused.Error.Field));
        return refused.Error;
    }

    /// <summary>Deliveries by id; the mandate reads nothing else of the package store.</summary>
    private sealed class Deliveries(params DeliveryRecord[] deliveries) : IPackageStore
    {
        public Task<DeliveryRecord?> FindDeliveryAsync(long deliveryId, CancellationToken ct = default) =>
            Task.FromResult(deliveries.FirstOrDefault(d => d.Id == deliveryId));

        public Task<SaveOutcome> SaveAsync(NewPackage package, IReadOnlyList<NewDelivery> newDeliveries, Func<ReceiptFacts, byte[]> issueReceipt, CancellationToken ct = default) => throw new NotSupportedException();
        public Task RecordRefusalAsync(Refusal refusal, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<PendingItem>> PendingAsync(IReadOnlyCollection<string> recipients, PackageKind kind, int max, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<PendingItem>> PendingViaAsync(string hub, string? recipient, PackageKind kind, int max, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<PackageBody> OpenBodyAsync(long packageId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<byte[]> ReadReceiptAsync(long packageId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task MarkFetchedAsync(long deliveryId, string actor, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();
        public Task ConfirmAsync(long deliveryId, bool done, string? reason, string actor, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<DeliveryView>> DeliveriesOfAsync(string documentId, IReadOnlyCollection<string> senders, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<DeliveryView>> ListDeliveriesAsync(DeliveryFilter filter, int? max, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<TraceEvent>> TraceAsync(string documentId, IReadOnlyCollection<string>? senders, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<DeliveryView>> DeliveriesForwardedByAsync(string documentId, string hub, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<TraceEvent>> TraceForwardedByAsync(string documentId, string hub, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<PushWork?> ClaimPushAsync(long deliveryId, DateTimeOffset now, TimeSpan lease, int maxGroup = RetryPolicy.DefaultForwardGroup, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<bool> RecordPushAsync(PushRecord record, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<OverdueGroup>> OverduePushesAsync(DateTimeOffset dueBefore, int max, long afterLead = 0, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
