using System.Text;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Support;
using static Lgsp.Exchange.Tests.Accept.AcceptHub;
using static Lgsp.Exchange.Tests.Accept.AcceptServiceRefusalTests;

namespace Lgsp.Exchange.Tests.Accept;

/// <summary>Packages another hub hands on: a hub caller sends as the agencies this hub routes to it, its
/// signer is vouched for by that hub, and the hops and previous receipt it states travel with the package.</summary>
public sealed class AcceptServiceFromOtherHubsTests
{
    private const string Parent = "national";
    private const string Ministry = "000.00.00.G22";

    private static readonly ClientSystem ParentSystem = new("national-in", PackagePolicy.Strict, new HashSet<string>()) { Hub = Parent };

    [Fact]
    public async Task A_child_hub_sends_as_an_agency_it_serves_and_the_signer_is_recorded_as_vouched_for_by_that_hub()
    {
        var hub = await StartAsync();

        await hub.SendAsync(ChildHubSystem, SignedDocument(District, Construction));

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal((District, ChildHubSystem.Id, "valid", $"vouched by {ChildHub}"), (stored.From, stored.SenderSystem, stored.Signature, stored.SignerBinding));
        Assert.Equal(Seals.Shared.Of(District).Subject, stored.SignerSubject);
    }

    [Fact]
    public async Task Over_a_strict_link_a_package_the_child_accepted_under_legacy_is_judged_strictly()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(ChildHubSystem, Packages.Unsigned(Packages.Document(District, Construction)),
            arrival: new Arrival(Hops: [ChildHub]) { PreviousPolicy = PackagePolicy.Legacy });

        Assert.Equal(ErrorCode.SignatureRequired, error.Code);
    }

    [Fact]
    public async Task Over_an_inherit_link_a_package_the_child_accepted_under_legacy_is_accepted_under_legacy_naming_the_child()
    {
        var hub = await StartAsync();
        await hub.Directory.SaveHubAsync(new HubLink(ChildHub, HubRole.Child, null, null, null, ChildHubSystem.Id, true) { Policy = LinkPolicy.Inherit }, "test");
        var previous = new string('a', 64);

        await hub.SendAsync(ChildHubSystem, Packages.Unsigned(Packages.Document(District, Construction)),
            arrival: new Arrival(Hops: [ChildHub], PreviousReceiptSha256: previous) { PreviousPolicy = PackagePolicy.Legacy, PreviousReceipt = [7] });

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal((true, ChildHub, previous, "unsigned"), (stored.Legacy, stored.LegacyInheritedFrom, stored.PreviousReceiptSha256, stored.Signature));
        Assert.Equal([7], stored.InheritedReceipt);
    }

    [Fact]
    public async Task Over_an_inherit_link_a_package_the_child_accepted_under_strict_is_judged_strictly()
    {
        var hub = await StartAsync();
        await hub.Directory.SaveHubAsync(new HubLink(ChildHub, HubRole.Child, null, null, null, ChildHubSystem.Id, true) { Policy = LinkPolicy.Inherit }, "test");

        var error = await hub.RefusalAsync(ChildHubSystem, Packages.Unsigned(Packages.Document(District, Construction)),
            arrival: new Arrival(Hops: [ChildHub]) { PreviousPolicy = PackagePolicy.Strict });

        Assert.Equal(ErrorCode.SignatureRequired, error.Code);
    }

    [Fact]
    public async Task A_system_that_is_no_hub_may_not_state_a_previous_policy()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction), arrival: new Arrival { PreviousPolicy = PackagePolicy.Legacy });

        AssertRefused(hub, error, HubErrorCode.InvalidRequest, "lgsp-prev-policy", from: null);
    }

    [Fact]
    public async Task A_child_hub_may_not_send_as_an_agency_this_hub_serves()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(ChildHubSystem, SignedDocument(Finance, Construction));

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: Finance);
    }

    [Fact]
    public async Task A_child_hub_may_not_send_as_an_agency_the_root_does_not_know()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(ChildHubSystem, SignedDocument(Ministry, Construction));

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: Ministry);
    }

    [Fact]
    public async Task A_disabled_child_hub_may_no_longer_send_as_the_agencies_it_serves()
    {
        var hub = await StartAsync();
        await hub.Directory.SaveHubAsync(new HubLink(ChildHub, HubRole.Child, null, null, null, ChildHubSystem.Id, Active: false), "test");

        var error = await hub.RefusalAsync(ChildHubSystem, SignedDocument(District, Construction));

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: District);
    }

    [Fact]
    public async Task The_parent_sends_as_an_agency_beyond_this_hub_and_its_signer_is_vouched_for_by_the_parent()
    {
        var hub = await WithParentAsync();

        await hub.SendAsync(ParentSystem, SignedDocument(Ministry, Construction));

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal((Ministry, $"vouched by {Parent}"), (stored.From, stored.SignerBinding));
    }

    [Fact]
    public async Task The_parent_may_not_send_as_an_agency_a_child_hub_serves()
    {
        var hub = await WithParentAsync();

        var error = await hub.RefusalAsync(ParentSystem, SignedDocument(District, Construction));

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: District);
    }

    [Fact]
    public async Task A_hub_callers_package_must_still_be_signed_under_the_strict_policy()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(ChildHubSystem, Packages.Unsigned(Packages.Document(District, Construction)));

        AssertRefused(hub, error, ErrorCode.SignatureRequired, "Signature", from: District);
    }

    [Fact]
    public async Task A_hub_callers_signer_must_still_chain_to_a_root_this_hub_trusts()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(ChildHubSystem, Packages.Signed(Packages.Document(District, Construction), Seals.Shared.ForeignOf(District)));

        AssertRefused(hub, error, ErrorCode.CertificateUntrustedRoot, "Signature/KeyInfo", from: District);
    }

    [Fact]
    public async Task The_hops_and_the_previous_receipt_are_stored_with_the_package_and_stated_in_the_receipt()
    {
        var hub = await WithParentAsync();
        var previous = new string('a', 32) + new string('0', 32);

        var acceptance = await hub.SendAsync(ParentSystem, SignedDocument(Ministry, Construction), arrival: new Arrival(Hops: ["hub-b01", Parent], PreviousReceiptSha256: previous));

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal(["hub-b01", Parent], stored.Hops);
        Assert.Equal(previous, stored.PreviousReceiptSha256);
        var receipt = XDocument.Parse(Encoding.UTF8.GetString(acceptance.Receipt)).Root!;
        Assert.Equal($"hub-b01,{Parent}", receipt.Element(XName.Get("Hops", ReceiptIssuer.Namespace))?.Value);
        Assert.Equal(previous, receipt.Element(XName.Get("PreviousReceipt", ReceiptIssuer.Namespace))?.Value);
    }

    [Fact]
    public async Task A_recipient_reached_through_a_hub_the_package_passed_through_gets_a_failed_delivery_and_the_others_go()
    {
        var hub = await WithParentAsync();

        await hub.SendAsync(ParentSystem, SignedDocument(Ministry, District, Construction), arrival: new Arrival(Hops: [ChildHub, Parent]));

        Assert.Equal(
            [(District, DeliveryState.Failed, "loop-detected"), (Construction, DeliveryState.Pending, null)],
            hub.Store.Deliveries.Select(d => (d.Delivery.Recipient, d.State, d.Delivery.FailureCode)));
    }

    /// <summary>Hop metadata is what one hub tells the next (docs/axis.md, "Hop extensions (hub to
    /// hub)"); the receipt states it "when the package came from another hub". A system that is no hub
    /// has no journey to tell: taking its word would put hops and a previous receipt in this hub's signed
    /// receipt and ledger that never were.</summary>
    [Theory]
    [InlineData("hops")]
    [InlineData("previous receipt")]
    public async Task Hop_metadata_from_a_system_that_is_not_a_hub_is_refused_and_nothing_is_stored(string what)
    {
        var hub = await StartAsync();
        var arrival = what == "hops" ? new Arrival(Hops: [ChildHub]) : new Arrival(PreviousReceiptSha256: new string('a', 64));

        await Assert.ThrowsAsync<ExchangeException>(() => hub.SendAsync(FinanceSystem, SignedDocument(Finance, Construction), arrival: arrival));

        Assert.Empty(hub.Store.Packages);
    }

    private static async Task<AcceptHub> WithParentAsync()
    {
        var hub = await StartAsync();
        await hub.Directory.SaveHubAsync(new HubLink(Parent, HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "province-h56", [1], ParentSystem.Id, true), "test");
        return hub;
    }
}
