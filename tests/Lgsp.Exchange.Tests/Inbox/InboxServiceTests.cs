using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Fakes;

namespace Lgsp.Exchange.Tests.Inbox;

/// <summary>The recipients' side: pending lists, fetching and confirming, limited to the caller's
/// agencies (or, for a hub caller, to what waits for its hub); the sender's deliveries and trace; the
/// directory.</summary>
public sealed class InboxServiceTests
{
    private const string Finance = "000.00.01.H56";
    private const string Construction = "000.00.02.H56";
    private const string Commune = "000.00.61.H56";
    private const string District = "000.00.70.H56";
    private const string ChildHub = "hub-district";

    private static readonly ClientSystem FinanceSystem = new("qlvb-stc", PackagePolicy.Strict, new HashSet<string> { Finance });
    private static readonly ClientSystem ConstructionSystem = new("qlvb-sxd", PackagePolicy.Strict, new HashSet<string> { Construction });
    private static readonly ClientSystem TownSystem = new("qlvb-huyen", PackagePolicy.Strict, new HashSet<string> { Construction, Commune });
    private static readonly ClientSystem ChildHubSystem = new("hub-district-in", PackagePolicy.Strict, new HashSet<string>()) { Hub = ChildHub };

    private readonly InMemoryPackageStore _store = new();
    private readonly InMemoryDirectory _directory = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero).AddTicks(12_345_678));
    private readonly InboxService _inbox;
    private int _number;

    public InboxServiceTests() => _inbox = new InboxService(_store, _directory, new AgencyMandate(new Router(_directory), _store, _directory), _clock);

    [Fact]
    public async Task Without_an_agency_the_pending_list_holds_what_waits_for_every_agency_the_system_acts_for()
    {
        var toConstruction = await DeliverAsync(Finance, Construction);
        var toCommune = await DeliverAsync(Finance, Commune);
        await DeliverAsync(Construction, Finance);

        var pending = await _inbox.PendingAsync(TownSystem, PackageKind.Document, agency: null, maxCount: null);

        Assert.Equal([toConstruction, toCommune], pending.Select(p => p.Id));
    }

    [Fact]
    public async Task An_agency_the_system_acts_for_narrows_the_pending_list_to_it()
    {
        await DeliverAsync(Finance, Construction);
        var toCommune = await DeliverAsync(Finance, Commune);

        var pending = await _inbox.PendingAsync(TownSystem, PackageKind.Document, Commune, maxCount: null);

        Assert.Equal([toCommune], pending.Select(p => p.Id));
    }

    [Fact]
    public async Task Asking_for_the_pending_list_of_an_agency_the_system_does_not_act_for_is_forbidden()
    {
        await DeliverAsync(Construction, Finance);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.PendingAsync(ConstructionSystem, PackageKind.Document, Finance, maxCount: null));

        Assert.Equal((HubErrorCode.Forbidden, "Agency"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal($"The client system {ConstructionSystem.Id} may not act for {Finance} in this way.", refused.Error.Message);
    }

    [Fact]
    public async Task Documents_and_statuses_are_listed_apart()
    {
        var document = await DeliverAsync(Finance, Construction);
        var status = await DeliverAsync(Finance, Construction, PackageKind.Status);

        Assert.Equal([document], (await _inbox.PendingAsync(ConstructionSystem, PackageKind.Document, null, null)).Select(p => p.Id));
        Assert.Equal([status], (await _inbox.PendingAsync(ConstructionSystem, PackageKind.Status, null, null)).Select(p => p.Id));
    }

    [Fact]
    public async Task The_pending_list_holds_at_most_MaxCount_items_and_100_when_none_is_given()
    {
        for (var i = 0; i < InboxService.DefaultMaxCount + 1; i++)
        {
            await DeliverAsync(Finance, Construction);
        }

        Assert.Equal(InboxService.DefaultMaxCount, (await _inbox.PendingAsync(ConstructionSystem, PackageKind.Document, null, maxCount: null)).Count);
        Assert.Equal(3, (await _inbox.PendingAsync(ConstructionSystem, PackageKind.Document, null, maxCount: 3)).Count);
        Assert.Equal(101, (await _inbox.PendingAsync(ConstructionSystem, PackageKind.Document, null, maxCount: InboxService.MaxMaxCount)).Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public async Task A_MaxCount_below_1_or_above_1000_is_an_invalid_request(int maxCount)
    {
        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.PendingAsync(ConstructionSystem, PackageKind.Document, null, maxCount));

        Assert.Equal((HubErrorCode.InvalidRequest, "MaxCount"), (refused.Error.Code, refused.Error.Field));
    }

    [Fact]
    public async Task A_hub_callers_pending_list_is_what_waits_for_its_hub_whichever_agency_it_is_for()
    {
        var viaChild = await DeliverAsync(Finance, District, via: ChildHub);
        await DeliverAsync(Finance, Construction);

        var pending = await _inbox.PendingAsync(ChildHubSystem, PackageKind.Document, agency: null, maxCount: null);

        Assert.Equal([viaChild], pending.Select(p => p.Id));
        Assert.Equal([viaChild], (await _inbox.PendingAsync(ChildHubSystem, PackageKind.Document, District, null)).Select(p => p.Id));
    }

    [Fact]
    public async Task A_MaxCount_out_of_range_is_refused_for_a_hub_caller_too()
    {
        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.PendingAsync(ChildHubSystem, PackageKind.Document, null, maxCount: 0));

        Assert.Equal((HubErrorCode.InvalidRequest, "MaxCount"), (refused.Error.Code, refused.Error.Field));
    }

    [Fact]
    public async Task Fetching_a_delivery_gives_the_exact_bytes_and_marks_it_fetched_by_the_caller_at_the_microsecond()
    {
        var id = await DeliverAsync(Finance, Construction);

        await using var body = await _inbox.OpenPackageAsync(ConstructionSystem, id);

        Assert.Equal(_store.Packages.Single().Package.Body.ToArray(), await BytesOf(body));
        var delivery = _store.Deliveries.Single();
        Assert.Equal((DeliveryState.Delivered, ConstructionSystem.Id, _clock.Now.AddTicks(-8)), (delivery.State, delivery.ChangedBy, delivery.ChangedAt));
    }

    [Fact]
    public async Task A_fetched_delivery_stays_in_the_pending_list_until_it_is_confirmed()
    {
        var id = await DeliverAsync(Finance, Construction);
        await (await _inbox.OpenPackageAsync(ConstructionSystem, id)).DisposeAsync();

        var pending = Assert.Single(await _inbox.PendingAsync(ConstructionSystem, PackageKind.Document, null, null));
        Assert.Equal((id, DeliveryState.Delivered), (pending.Id, pending.State));

        await _inbox.ConfirmAsync(ConstructionSystem, id, "done", reason: null);
        Assert.Empty(await _inbox.PendingAsync(ConstructionSystem, PackageKind.Document, null, null));
    }

    [Fact]
    public async Task Fetching_a_delivery_that_does_not_exist_is_not_found()
    {
        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.OpenPackageAsync(ConstructionSystem, 999));

        Assert.Equal((HubErrorCode.NotFound, "Id"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal("Nothing matches Id = '999'.", refused.Error.Message);
    }

    [Fact]
    public async Task A_system_cannot_fetch_a_delivery_to_an_agency_it_does_not_act_for_and_the_delivery_stays_pending()
    {
        var id = await DeliverAsync(Finance, Construction);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.OpenPackageAsync(FinanceSystem, id));

        Assert.Equal((HubErrorCode.Forbidden, "Id"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal($"The client system {FinanceSystem.Id} may not act for {Construction} in this way.", refused.Error.Message);
        Assert.Equal((DeliveryState.Pending, null), (_store.Deliveries.Single().State, _store.Deliveries.Single().ChangedBy));
    }

    [Fact]
    public async Task A_delivery_that_goes_through_another_hub_is_that_hubs_to_fetch_not_the_agencys_own_system()
    {
        var districtSystem = new ClientSystem("qlvb-xa-70", PackagePolicy.Strict, new HashSet<string> { District });
        var id = await DeliverAsync(Finance, District, via: ChildHub);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.OpenPackageAsync(districtSystem, id));
        Assert.Equal(HubErrorCode.Forbidden, refused.Error.Code);

        await using var body = await _inbox.OpenPackageAsync(ChildHubSystem, id);
        Assert.Equal(_store.Packages.Single().Package.Body.ToArray(), await BytesOf(body));
    }

    [Fact]
    public async Task A_hub_caller_cannot_fetch_a_delivery_this_hub_makes_to_its_own_agencies()
    {
        var id = await DeliverAsync(Finance, Construction);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.OpenPackageAsync(ChildHubSystem, id));

        Assert.Equal(HubErrorCode.Forbidden, refused.Error.Code);
        Assert.Equal(DeliveryState.Pending, _store.Deliveries.Single().State);
    }

    [Fact]
    public async Task A_hub_caller_cannot_fetch_a_push_forward_through_its_hub()
    {
        var id = await DeliverAsync(Finance, District, via: ChildHub, mode: DeliveryMode.Push);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.OpenPackageAsync(ChildHubSystem, id));

        Assert.Equal(HubErrorCode.Forbidden, refused.Error.Code);
    }

    [Fact]
    public async Task Confirming_done_acknowledges_the_delivery_as_the_caller_at_the_microsecond()
    {
        var id = await DeliverAsync(Finance, Construction);

        await _inbox.ConfirmAsync(ConstructionSystem, id, "done", reason: "ignored when done");

        var delivery = _store.Deliveries.Single();
        Assert.Equal((DeliveryState.Acknowledged, null, ConstructionSystem.Id, _clock.Now.AddTicks(-8)), (delivery.State, delivery.LastError, delivery.ChangedBy, delivery.ChangedAt));
    }

    [Fact]
    public async Task Confirming_fail_fails_the_delivery_with_the_reason_given()
    {
        var id = await DeliverAsync(Finance, Construction);

        await _inbox.ConfirmAsync(ConstructionSystem, id, "fail", "tệp đính kèm hỏng");

        Assert.Equal((DeliveryState.Failed, "tệp đính kèm hỏng"), (_store.Deliveries.Single().State, _store.Deliveries.Single().LastError));
    }

    [Fact]
    public async Task Confirming_fail_without_a_reason_says_the_recipients_system_refused_it()
    {
        var id = await DeliverAsync(Finance, Construction);

        await _inbox.ConfirmAsync(ConstructionSystem, id, "fail", reason: null);

        Assert.Equal((DeliveryState.Failed, "refused by the recipient's system"), (_store.Deliveries.Single().State, _store.Deliveries.Single().LastError));
    }

    [Theory]
    [InlineData("Done")]
    [InlineData("ok")]
    [InlineData("")]
    public async Task An_outcome_other_than_done_or_fail_is_an_invalid_request_before_the_delivery_is_looked_up(string outcome)
    {
        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.ConfirmAsync(ConstructionSystem, 999, outcome, null));

        Assert.Equal((HubErrorCode.InvalidRequest, "Outcome"), (refused.Error.Code, refused.Error.Field));
    }

    [Fact]
    public async Task Confirming_a_delivery_that_does_not_exist_is_not_found()
    {
        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.ConfirmAsync(ConstructionSystem, 999, "done", null));

        Assert.Equal((HubErrorCode.NotFound, "Id"), (refused.Error.Code, refused.Error.Field));
    }

    [Fact]
    public async Task A_system_cannot_confirm_a_delivery_to_an_agency_it_does_not_act_for_and_the_delivery_keeps_its_state()
    {
        var id = await DeliverAsync(Finance, Construction);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.ConfirmAsync(FinanceSystem, id, "fail", "not mine"));

        Assert.Equal((HubErrorCode.Forbidden, "Id"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal((DeliveryState.Pending, null), (_store.Deliveries.Single().State, _store.Deliveries.Single().LastError));
    }

    [Fact]
    public async Task A_sender_sees_the_deliveries_of_the_documents_its_agencies_sent()
    {
        var id = await DeliverAsync(Finance, Construction);
        var documentId = _store.Packages.Single().Package.DocumentId;

        var deliveries = await _inbox.DeliveriesAsync(FinanceSystem, documentId);

        Assert.Equal([(id, Construction, DeliveryState.Pending)], deliveries.Select(d => (d.Id, d.Recipient, d.State)));
    }

    [Fact]
    public async Task The_deliveries_of_a_document_another_agency_sent_are_not_found()
    {
        await DeliverAsync(Finance, Construction);
        var documentId = _store.Packages.Single().Package.DocumentId;

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.DeliveriesAsync(ConstructionSystem, documentId));

        Assert.Equal((HubErrorCode.NotFound, "DocumentId"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal($"Nothing matches DocumentId = '{documentId}'.", refused.Error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Asking_for_the_deliveries_or_the_trace_of_a_blank_document_id_is_an_invalid_request(string documentId)
    {
        var deliveries = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.DeliveriesAsync(FinanceSystem, documentId));
        var trace = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.TraceAsync(FinanceSystem, documentId));

        Assert.Equal((HubErrorCode.InvalidRequest, "DocumentId"), (deliveries.Error.Code, deliveries.Error.Field));
        Assert.Equal((HubErrorCode.InvalidRequest, "DocumentId"), (trace.Error.Code, trace.Error.Field));
    }

    [Fact]
    public async Task A_system_traces_the_documents_its_agencies_sent_and_an_auditor_any_document()
    {
        await DeliverAsync(Finance, Construction, documentId: "D-1");
        await DeliverAsync(Commune, Construction, documentId: "D-1");
        var auditor = new ClientSystem("kiem-toan", PackagePolicy.Strict, new HashSet<string>()) { IsAuditor = true };

        var own = await _inbox.TraceAsync(FinanceSystem, "D-1");
        var all = await _inbox.TraceAsync(auditor, "D-1");

        Assert.Equal([_store.Packages[0].Id], own.Select(e => e.PackageId));
        Assert.Equal([_store.Packages[0].Id, _store.Packages[1].Id], all.Select(e => e.PackageId));
    }

    [Fact]
    public async Task The_trace_of_a_document_the_callers_agencies_did_not_send_is_not_found()
    {
        await DeliverAsync(Finance, Construction, documentId: "D-1");

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => _inbox.TraceAsync(ConstructionSystem, "D-1"));

        Assert.Equal((HubErrorCode.NotFound, "DocumentId"), (refused.Error.Code, refused.Error.Field));
    }

    [Fact]
    public async Task The_directory_lists_every_agency_or_those_changed_since_a_time()
    {
        var monday = new DateTimeOffset(2026, 1, 12, 0, 0, 0, TimeSpan.Zero);
        await _directory.SaveAgencyAsync(new Agency(Finance, "Sở Tài chính", null, AgencyTier.Department, true, null, null, monday), "test");
        await _directory.SaveAgencyAsync(new Agency(Commune, "UBND xã", null, AgencyTier.Commune, true, null, null, monday.AddDays(2)), "test");

        Assert.Equal([Finance, Commune], (await _inbox.AgenciesAsync(changedSince: null)).Select(a => a.Code));
        Assert.Equal([Commune], (await _inbox.AgenciesAsync(monday.AddDays(1))).Select(a => a.Code));
    }

    /// <summary>Stores a package from <paramref name="from"/> with one delivery to <paramref name="to"/>; its id.</summary>
    private static async Task<byte[]> BytesOf(PackageBody body)
    {
        using var copy = new MemoryStream();
        await body.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<long> DeliverAsync(string from, string to, PackageKind kind = PackageKind.Document, string? via = null, DeliveryMode mode = DeliveryMode.Pull,
        string? documentId = null)
    {
        var body = Encoding.UTF8.GetBytes($"<package number=\"{++_number}\"/>");
        var package = new NewPackage
        {
            Kind = kind,
            SenderSystem = "qlvb",
            From = from,
            DocumentId = documentId ?? $"{from},2026/01/15,{_number}/VP",
            Sha256 = SHA256.HashData(body),
            Body = PackageSpool.FromBytes(body),
            ReceivedAt = _clock.Now.AddMinutes(-1),
            BusinessType = kind == PackageKind.Document ? BusinessDocType.New : null,
            StatusCode = kind == PackageKind.Status ? "01" : null,
            StatusTarget = kind == PackageKind.Status ? to : null,
            Legacy = false,
            Signature = "valid",
        };
        var outcome = await _store.SaveAsync(package, [new NewDelivery(to, to, mode) { Via = via }], _ => []);
        return Assert.Single(outcome.Deliveries).Id;
    }
}
