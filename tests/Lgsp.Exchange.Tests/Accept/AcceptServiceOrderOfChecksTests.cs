using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Tests.Support;
using static Lgsp.Exchange.Tests.Accept.AcceptHub;
using static Lgsp.Exchange.Tests.Accept.AcceptServiceRefusalTests;

namespace Lgsp.Exchange.Tests.Accept;

/// <summary>When a package has two defects, the one reported is the earlier check's. The order, from
/// the accept path: hop metadata (malformed hops, this hub among them, a malformed previous receipt);
/// the package reads; its kind; the caller may send as its <c>From</c>; schema and business rules;
/// a code in neither form the directory does not hold; the signature; the signer bound to <c>From</c>; the recipients the front door asks for; a reused
/// DocumentId, which only the store can tell.</summary>
public sealed class AcceptServiceOrderOfChecksTests
{
    [Fact]
    public async Task Malformed_hops_are_reported_before_hops_that_name_this_hub()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction), arrival: new Arrival(Hops: [Id, ""]));

        AssertRefused(hub, error, HubErrorCode.InvalidRequest, "lgsp-hops", from: null);
    }

    [Fact]
    public async Task Hops_that_name_this_hub_are_reported_before_a_malformed_previous_receipt()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction), arrival: new Arrival(Hops: [Id], PreviousReceiptSha256: "x"));

        AssertRefused(hub, error, HubErrorCode.LoopDetected, "lgsp-hops", from: null);
    }

    [Fact]
    public async Task Hops_that_name_this_hub_are_reported_before_the_package_is_read()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, "not xml"u8.ToArray(), arrival: new Arrival(Hops: [Id]));

        AssertRefused(hub, error, HubErrorCode.LoopDetected, "lgsp-hops", from: null);
    }

    [Fact]
    public async Task A_malformed_previous_receipt_is_reported_before_the_package_is_read()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, "not xml"u8.ToArray(), arrival: new Arrival(PreviousReceiptSha256: "x"));

        AssertRefused(hub, error, HubErrorCode.InvalidRequest, "lgsp-prev-receipt", from: null);
    }

    [Fact]
    public async Task The_wrong_kind_is_reported_before_the_sending_agency_is_looked_at()
    {
        var hub = await StartAsync();
        var status = Packages.Unsigned(Packages.Status(Construction, Finance, "000.00.01.H56,2026/01/15,1/STC-NS", StatusCode.Arrived));

        var error = await hub.RefusalAsync(FinanceSystem, status, PackageKind.Document);

        AssertRefused(hub, error, HubErrorCode.WrongPackageKind, "edXML");
    }

    [Fact]
    public async Task A_package_from_an_agency_the_system_does_not_act_for_is_refused_before_its_schema_is_checked()
    {
        var hub = await StartAsync();
        var package = Packages.Altered(Packages.Unsigned(Packages.Document(Construction, Finance)), "<edXML:Subject>", "<edXML:Bogus/><edXML:Subject>");

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: Construction);
    }

    [Fact]
    public async Task A_secret_document_from_an_agency_the_system_does_not_act_for_is_refused_as_forbidden_not_as_secret()
    {
        var hub = await StartAsync();
        var package = Packages.Signed(Packages.Document(Construction, Finance) with { Subject = "MẬT - Kế hoạch" }, Seals.Shared.Of(Construction));

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: Construction);
    }

    [Fact]
    public async Task A_package_from_an_agency_the_system_does_not_act_for_is_refused_before_its_signature_is_checked()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, Packages.Unsigned(Packages.Document(Construction, Finance)));

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: Construction);
    }

    [Fact]
    public async Task A_secret_marking_is_reported_before_a_missing_signature()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, Packages.Unsigned(Packages.Document(Finance, Construction) with { Subject = "MẬT - Kế hoạch" }));

        AssertRefused(hub, error, ErrorCode.SecretDocument, "MessageHeader/Subject", from: Finance);
    }

    [Fact]
    public async Task A_schema_violation_is_reported_before_an_altered_signature()
    {
        var hub = await StartAsync();
        var package = Packages.Altered(SignedDocument(Finance, Construction), "<edXML:Subject>", "<edXML:Bogus/><edXML:Subject>");

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, ErrorCode.SchemaViolation, "MessageHeader/Bogus", from: Finance);
    }

    [Fact]
    public async Task A_schema_violation_is_reported_before_a_recipient_code_in_neither_form_the_directory_does_not_hold()
    {
        var hub = await StartAsync();
        var package = Packages.Altered(Packages.Unsigned(Packages.Document(Commune, "vxp.test.99")), "<edXML:Subject>", "<edXML:Bogus/><edXML:Subject>");

        var error = await hub.RefusalAsync(LegacyCommuneSystem, package);

        AssertRefused(hub, error, ErrorCode.SchemaViolation, "MessageHeader/Bogus", from: Commune);
    }

    [Fact]
    public async Task A_recipient_code_in_neither_form_the_directory_does_not_hold_is_reported_before_a_signature_that_does_not_verify()
    {
        var hub = await StartAsync();
        var package = Packages.Altered(Packages.Signed(Packages.Document(Commune, "vxp.test.99"), Seals.Shared.Of(Commune)), "kiểm thử liên thông", "THAY ĐỔI");

        var error = await hub.RefusalAsync(LegacyCommuneSystem, package);

        AssertRefused(hub, error, HubErrorCode.UnknownNonStandardCode, MessageHeader + "To[1]/OrganId", from: Commune);
    }

    [Fact]
    public async Task An_untrusted_signer_is_reported_as_untrusted_before_its_registration_is_looked_at()
    {
        var hub = await StartAsync();
        var package = Packages.Signed(Packages.Document(Finance, Construction), Seals.Shared.ForeignOf(Construction));

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, ErrorCode.CertificateUntrustedRoot, "Signature/KeyInfo", from: Finance);
    }

    [Fact]
    public async Task A_signer_mismatch_is_reported_before_a_recipient_the_front_door_asks_for_wrongly()
    {
        var hub = await StartAsync();
        var package = Packages.Signed(Packages.Document(Finance, Construction), Seals.Shared.Of(Construction));

        var error = await hub.RefusalAsync(FinanceSystem, package, arrival: new Arrival(Recipients: [Commune]));

        AssertRefused(hub, error, HubErrorCode.SignerMismatch, "edXMLEnvelope/edXMLHeader/Signature/KeyInfo", from: Finance);
    }

    [Fact]
    public async Task A_recipient_the_front_door_asks_for_wrongly_is_reported_before_a_reused_document_id()
    {
        var hub = await StartAsync();
        var first = Packages.Document(Finance, Construction);
        await hub.SendAsync(FinanceSystem, Packages.Signed(first, Seals.Shared.Of(Finance)));
        var reused = Packages.Signed(Packages.Document(Finance, Construction) with { DocumentId = first.DocumentId }, Seals.Shared.Of(Finance));

        var error = await hub.RefusalAsync(FinanceSystem, reused, arrival: new Arrival(Recipients: [Commune]));

        Assert.Equal((HubErrorCode.InvalidRequest, "to"), (error.Code, error.Field));
        Assert.Single(hub.Store.Packages);
        Assert.Equal(HubErrorCode.InvalidRequest, Assert.Single(hub.Store.Refusals).Code);
    }

    [Fact]
    public async Task A_reused_document_id_is_found_only_after_the_signer_is_bound_to_the_sender()
    {
        var hub = await StartAsync();
        var first = Packages.Document(Finance, Construction);
        await hub.SendAsync(FinanceSystem, Packages.Signed(first, Seals.Shared.Of(Finance)));
        var reused = Packages.Signed(Packages.Document(Finance, Commune) with { DocumentId = first.DocumentId }, Seals.Shared.Of(Construction));

        var error = await hub.RefusalAsync(FinanceSystem, reused);

        Assert.Equal(HubErrorCode.SignerMismatch, error.Code);
        Assert.Equal(HubErrorCode.SignerMismatch, Assert.Single(hub.Store.Refusals).Code);
    }
}
