using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Tests.Support;
using static Lgsp.Exchange.Tests.Accept.AcceptHub;
using static Lgsp.Exchange.Tests.Accept.AcceptServiceRefusalTests;

namespace Lgsp.Exchange.Tests.Accept;

/// <summary>A system under the legacy policy: unsigned and placeholder-signed packages and junk before
/// the XML declaration are let through and recorded as such; a signature that is there is judged as
/// strictly as ever, and so is everything else.</summary>
public sealed class AcceptServiceLegacyPolicyTests
{
    [Fact]
    public async Task An_unsigned_package_is_accepted_and_recorded_as_unsigned_and_legacy()
    {
        var hub = await StartAsync();

        await hub.SendAsync(LegacyCommuneSystem, Packages.Unsigned(Packages.Document(Commune, Construction)));

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal((true, "unsigned"), (stored.Legacy, stored.Signature));
        Assert.Equal((null, null, null), (stored.SignerSubject, stored.SignerSha256, stored.SignerBinding));
    }

    [Fact]
    public async Task A_placeholder_signature_is_accepted_and_recorded_as_a_placeholder()
    {
        var hub = await StartAsync();

        await hub.SendAsync(LegacyCommuneSystem, Placeholder(Packages.Document(Commune, Construction)));

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal((true, "placeholder", null), (stored.Legacy, stored.Signature, stored.SignerBinding));
    }

    [Fact]
    public async Task Bytes_before_the_xml_declaration_are_accepted_and_stored_with_the_package()
    {
        var hub = await StartAsync();
        byte[] bytes = [.. "1212"u8, .. SignedDocument(Commune, Construction)];

        await hub.SendAsync(LegacyCommuneSystem, bytes);

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal(bytes, stored.Body.ToArray());
        Assert.Equal((true, "valid", "registered"), (stored.Legacy, stored.Signature, stored.SignerBinding));
    }

    [Fact]
    public async Task A_well_signed_package_is_recorded_as_signed_and_registered_and_as_judged_under_the_legacy_policy()
    {
        var hub = await StartAsync();

        await hub.SendAsync(LegacyCommuneSystem, SignedDocument(Commune, Construction));

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal((true, "valid", "registered", Seals.Shared.Of(Commune).Subject), (stored.Legacy, stored.Signature, stored.SignerBinding, stored.SignerSubject));
    }

    [Fact]
    public async Task A_signature_that_is_there_must_still_verify()
    {
        var hub = await StartAsync();
        var package = Packages.Altered(SignedDocument(Commune, Construction), "kiểm thử liên thông", "đã sửa");

        var error = await hub.RefusalAsync(LegacyCommuneSystem, package);

        AssertRefused(hub, error, ErrorCode.SignatureDigestMismatch, "Signature/SignedInfo/Reference[1]/DigestValue", from: Commune);
    }

    [Fact]
    public async Task A_signature_that_is_there_must_still_chain_to_a_trusted_root()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(LegacyCommuneSystem, Packages.Signed(Packages.Document(Commune, Construction), Seals.Shared.ForeignOf(Commune)));

        AssertRefused(hub, error, ErrorCode.CertificateUntrustedRoot, "Signature/KeyInfo", from: Commune);
    }

    [Fact]
    public async Task A_valid_signature_must_still_be_by_a_certificate_registered_for_the_sender()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(LegacyCommuneSystem, Packages.Signed(Packages.Document(Commune, Construction), Seals.Shared.Of(Finance)));

        AssertRefused(hub, error, HubErrorCode.SignerMismatch, "edXMLEnvelope/edXMLHeader/Signature/KeyInfo", from: Commune);
    }

    [Fact]
    public async Task A_secret_document_is_refused_under_the_legacy_policy_too()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(LegacyCommuneSystem, Packages.Unsigned(Packages.Document(Commune, Construction) with { Subject = "TỐI MẬT - Kế hoạch" }));

        AssertRefused(hub, error, ErrorCode.SecretDocument, "MessageHeader/Subject", from: Commune);
    }

    [Fact]
    public async Task The_legacy_policy_does_not_let_a_system_send_as_an_agency_it_does_not_act_for()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(LegacyCommuneSystem, Packages.Unsigned(Packages.Document(Finance, Construction)));

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: Finance);
    }

    [Fact]
    public async Task A_recipient_code_in_neither_form_the_directory_holds_is_routed_and_the_warning_recorded()
    {
        var hub = await StartAsync();
        await hub.Directory.SaveAgencyAsync(LocalAgency("vxp.test.07"), "test");

        await hub.SendAsync(LegacyCommuneSystem, Packages.Unsigned(Packages.Document(Commune, "vxp.test.07")));

        Assert.Equal(["InvalidAgencyCode MessageHeader/To[1]/OrganId"], Assert.Single(hub.Store.Packages).Package.Warnings);
        var delivery = Assert.Single(hub.Store.Deliveries).Delivery;
        Assert.Equal(("vxp.test.07", null), (delivery.Recipient, delivery.FailureCode));
    }

    [Fact]
    public async Task A_recipient_code_in_neither_form_the_directory_does_not_hold_is_refused_naming_it()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(LegacyCommuneSystem, Packages.Unsigned(Packages.Document(Commune, Construction, "vxp.test.99")));

        AssertRefused(hub, error, HubErrorCode.UnknownNonStandardCode, MessageHeader + "To[2]/OrganId", from: Commune);
        Assert.Contains("vxp.test.99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recipient_in_neither_form_that_the_front_door_does_not_ask_for_is_not_looked_up()
    {
        var hub = await StartAsync();

        await hub.SendAsync(LegacyCommuneSystem, Packages.Unsigned(Packages.Document(Commune, Construction, "vxp.test.99")), arrival: new Arrival(Recipients: [Construction]));

        Assert.Single(hub.Store.Packages);
        Assert.Equal(Construction, Assert.Single(hub.Store.Deliveries).Delivery.Recipient);
    }
}
