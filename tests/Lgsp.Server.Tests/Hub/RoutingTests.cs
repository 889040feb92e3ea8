using System.ServiceModel;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;
using Agency = Lgsp.Exchange.Directory.Agency;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Hub;

/// <summary>Routing across hubs at one hub, through its SOAP front door: recipients without a route,
/// the loop guard, a child hub's system as a caller, and deliveries via the parent.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RoutingTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Commune = "000.00.61.H56";
    private const string Other = "000.00.62.H56";
    private const string ChildAgency = "000.31.61.H56";
    private const string ChildHub = "district-1";
    private const string ChildSystem = "district-1-hub";
    private const string ChildSecret = "child-hub-secret-for-tests";
    private const string ParentHub = "national";
    private RunningHub _hub = null!;

    public async Task InitializeAsync() => _hub = await RunningHub.StartAsync(postgres);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private IDirectoryStore Directory => _hub.Services.GetRequiredService<IDirectoryStore>();

    [Fact]
    public async Task AtTheRootAnUnknownRecipientIsAcceptedAndItsDeliveryFailsWithTheReasonTheSenderSees()
    {
        await using var sender = _hub.Client(Commune);
        var sent = await sender.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Other, "000.00.99.H56"], documentId: "R-1") });
        Assert.False(sent.Duplicate);

        var deliveries = (await sender.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = "R-1" })).Deliveries;
        Assert.Equal("pending", deliveries.Single(d => d.Recipient == Other).State);
        var failed = deliveries.Single(d => d.Recipient == "000.00.99.H56");
        Assert.Equal("failed", failed.State);
        Assert.Equal("unknown-recipient: no route: 000.00.99.H56 is not in the directory and this hub has no parent hub", failed.LastError);
        Assert.Null(failed.Via);

        var ledger = (await sender.GetTraceAsync(new GetTraceRequest { DocumentId = "R-1" })).Events.Where(e => e.Kind == "delivery.failed").ToList();
        Assert.Contains("\"code\": \"unknown-recipient\"", Assert.Single(ledger).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APackageNoneOfWhoseRecipientsHasARouteIsStillAccepted()
    {
        await using var sender = _hub.Client(Commune);
        await sender.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, ["000.00.98.H56", "000.00.99.H56"], documentId: "R-2") });

        var deliveries = (await sender.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = "R-2" })).Deliveries;
        Assert.Equal(2, deliveries.Length);
        Assert.All(deliveries, d => Assert.Equal("failed", d.State));
        Assert.All(deliveries, d => Assert.StartsWith("unknown-recipient: no route: ", d.LastError, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APackageWhoseHopsNameThisHubIsRefusedAsALoopLeavingOnlyItsRefusalInTheLedger()
    {
        var caller = (await Directory.FindClientSystemAsync(_hub.System(Commune).Id))!.System;
        var accept = _hub.Services.GetRequiredService<AcceptService>();
        var hubId = _hub.Services.GetRequiredService<Exchange.Receipts.ReceiptIssuer>().HubId;
        var before = await CountsAsync();

        var refused = await Assert.ThrowsAsync<ExchangeException>(() =>
            accept.AcceptAsync(caller, _hub.SignedDocument(Commune, [Other]), PackageKind.Document, new Arrival(Hops: [ParentHub, hubId])));

        Assert.Equal(HubErrorCode.LoopDetected, refused.Error.Code);
        Assert.Equal("lgsp-hops", refused.Error.Field);
        Assert.Contains(hubId, refused.Error.Message, StringComparison.Ordinal);
        Assert.Contains("vòng", refused.Error.MessageVi, StringComparison.Ordinal);
        Assert.Equal(before with { Ledger = before.Ledger + 1 }, await CountsAsync());
        Assert.Equal(HubErrorCode.LoopDetected, await _hub.ScalarAsync("SELECT detail->>'code' FROM lgsp.ledger WHERE kind = 'package.refused' ORDER BY seq DESC LIMIT 1"));
    }

    [Fact]
    public async Task AChildHubsSystemMaySendAsAnAgencyTheChildServesWithTheSignerVouchedByTheChild()
    {
        await AddChildAsync();
        await using var child = EdocClientFactory.Create(_hub.SoapUri, ChildSystem, ChildSecret, SoapVersion.Soap11);

        // Signed with another agency's trusted certificate: the child hub bound signer and sender.
        var sent = await child.SendDocumentAsync(new SendDocumentRequest { Package = Signed(ChildAgency, [Other], "C-1") });
        Assert.False(sent.Duplicate);

        var detail = (string)(await _hub.ScalarAsync("SELECT detail::text FROM lgsp.ledger WHERE kind = 'package.received'"))!;
        Assert.Contains("\"signerBinding\": \"vouched by district-1\"", detail, StringComparison.Ordinal);
        Assert.Equal("pending", await _hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE recipient = '{Other}'"));
    }

    [Fact]
    public async Task AChildHubsSystemMayNotSendAsAnAgencyThisHubServes()
    {
        await AddChildAsync();
        await using var child = EdocClientFactory.Create(_hub.SoapUri, ChildSystem, ChildSecret, SoapVersion.Soap11);

        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() =>
            child.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Other]) }));

        Assert.Equal("Forbidden", fault.Detail.Code);
        Assert.Contains("From/OrganId", fault.Detail.Field, StringComparison.Ordinal);
        Assert.Equal(0L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task AnOrdinarySystemStillNeedsItsSignerRegisteredForFrom()
    {
        await AddChildAsync();
        await using var sender = _hub.Client(Commune);

        // The vouching is the hub caller's alone.
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() =>
            sender.SendDocumentAsync(new SendDocumentRequest { Package = TestPackages.Sign(TestPackages.Document(Commune, [Other]), _hub.System(Other).CertPem, _hub.System(Other).KeyPem) }));
        Assert.Equal("SignerMismatch", fault.Detail.Code);
    }

    [Fact]
    public async Task AChildHubsSystemFindsDeliveriesForItsAgenciesInItsPendingListAndFetchesAndConfirmsThem()
    {
        await AddChildAsync();
        await using var sender = _hub.Client(Commune);
        var package = _hub.SignedDocument(Commune, [ChildAgency, Other], documentId: "D-1");
        await sender.SendDocumentAsync(new SendDocumentRequest { Package = package });

        await using var child = EdocClientFactory.Create(_hub.SoapUri, ChildSystem, ChildSecret, SoapVersion.Soap11);
        var item = Assert.Single((await child.GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items);
        Assert.Equal(ChildAgency, item.To);
        Assert.Equal(package, (await child.GetDocumentAsync(new GetDocumentRequest { Id = item.Id })).Package);
        await child.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = item.Id, Outcome = Outcome.Done });

        var view = (await sender.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = "D-1" })).Deliveries.Single(d => d.Recipient == ChildAgency);
        Assert.Equal("acknowledged", view.State);
        Assert.Equal(ChildHub, view.Via);

        // The other recipient's delivery is not the child's to see or fetch.
        var other = (long)(await _hub.ScalarAsync($"SELECT id FROM lgsp.delivery WHERE recipient = '{Other}'"))!;
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() => child.GetDocumentAsync(new GetDocumentRequest { Id = other }));
        Assert.Equal("Forbidden", fault.Detail.Code);
    }

    [Fact]
    public async Task AnAgencysOwnSystemDoesNotSeeWhatWaitsForTheChildHubServingIt()
    {
        // The demo system of 000.00.62.H56 is made to act for the child's agency too: still, the child pulls.
        await AddChildAsync();
        var system = _hub.System(Other);
        await Directory.SaveClientSystemAsync(system.Id, SecretHash.Hash(system.Secret), null, PackagePolicy.Strict, [.. system.Agencies, ChildAgency], "test");
        await using var sender = _hub.Client(Commune);
        await sender.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [ChildAgency]) });

        await using var local = _hub.Client(Other);
        Assert.Empty((await local.GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items ?? []);
    }

    [Fact]
    public async Task ARecipientTheParentServesGetsAPushDeliveryViaTheParent()
    {
        await AddParentAsync();
        await Directory.SaveAgencyAsync(new Agency("000.00.00.G01", "Bộ Nội vụ", null, AgencyTier.Central, true, null, null, default) { ServedBy = ParentHub }, "test");
        await using var sender = _hub.Client(Commune);
        await sender.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, ["000.00.00.G01", "000.00.99.H56"], documentId: "P-1") });

        Assert.Equal(2L, await _hub.ScalarAsync($"SELECT count(*) FROM lgsp.delivery WHERE via_hub = '{ParentHub}' AND mode = 'push'"));
        var views = (await sender.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = "P-1" })).Deliveries;
        Assert.All(views, v => Assert.Equal(ParentHub, v.Via));
        Assert.DoesNotContain(views, v => v.LastError?.StartsWith("unknown-recipient", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task APackageThisHubPullsFromItsParentMayComeFromBeyondTheParentAndIsNeverRoutedBackUp()
    {
        await AddParentAsync();
        var accept = _hub.Services.GetRequiredService<AcceptService>();
        var parent = new ClientSystem("pulling-from-national", PackagePolicy.Strict, new HashSet<string>()) { Hub = ParentHub };
        var arrival = new Arrival(Hops: [ParentHub], PreviousReceiptSha256: new string('a', 64));

        var accepted = await accept.AcceptAsync(parent, Signed("000.00.00.G01", [Commune, "000.00.77.H56"], "N-1"), PackageKind.Document, arrival);

        Assert.False(accepted.Duplicate);
        Assert.Equal("pending", await _hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE recipient = '{Commune}'"));
        Assert.Equal("loop-detected: no route: 000.00.77.H56 is reached through hub national, which the package already passed through",
            await _hub.ScalarAsync("SELECT last_error FROM lgsp.delivery WHERE recipient = '000.00.77.H56'"));
        Assert.Equal("vouched by national", await _hub.ScalarAsync("SELECT detail->>'signerBinding' FROM lgsp.ledger WHERE kind = 'package.received'"));
        Assert.Equal("{national}", await _hub.ScalarAsync("SELECT hops::text FROM lgsp.package"));

        // The parent cannot speak for an agency this hub serves.
        var refused = await Assert.ThrowsAsync<ExchangeException>(() =>
            accept.AcceptAsync(parent, _hub.SignedDocument(Commune, [Other]), PackageKind.Document, arrival));
        Assert.Equal(HubErrorCode.Forbidden, refused.Error.Code);
    }

    private byte[] Signed(string from, string[] to, string documentId) =>
        TestPackages.Sign(TestPackages.Document(from, to, documentId), _hub.System(Commune).CertPem, _hub.System(Commune).KeyPem);

    private async Task AddChildAsync()
    {
        await Directory.SaveClientSystemAsync(ChildSystem, SecretHash.Hash(ChildSecret), null, PackagePolicy.Strict, [], "test");
        await Directory.SaveHubAsync(new HubLink(ChildHub, HubRole.Child, null, null, null, ChildSystem, true), "test");
        await Directory.SaveAgencyAsync(new Agency(ChildAgency, "UBND xã Thử nghiệm", null, AgencyTier.Commune, true, null, null, default) { ServedBy = ChildHub }, "test");
    }

    private Task AddParentAsync() =>
        Directory.SaveHubAsync(new HubLink(ParentHub, HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "h56", [1, 2, 3], null, true), "test");

    private async Task<(long Packages, long Deliveries, long Ledger)> CountsAsync() => (
        (long)(await _hub.ScalarAsync("SELECT count(*) FROM lgsp.package"))!,
        (long)(await _hub.ScalarAsync("SELECT count(*) FROM lgsp.delivery"))!,
        (long)(await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind NOT IN ('directory.changed', 'trust.changed')"))!);
}
