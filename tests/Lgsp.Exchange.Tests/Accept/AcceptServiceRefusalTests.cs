using System.Security.Cryptography;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Support;
using static Lgsp.Exchange.Tests.Accept.AcceptHub;

namespace Lgsp.Exchange.Tests.Accept;

/// <summary>Every refusal the accept path makes: its code and field, and what it leaves behind (one
/// refusal record, nothing stored, nothing enqueued).</summary>
public sealed class AcceptServiceRefusalTests
{
    [Fact]
    public async Task A_refusal_records_the_operation_the_caller_the_code_the_field_and_the_bytes_hash_and_size_at_the_time_of_receipt()
    {
        var hub = await StartAsync();
        var bytes = "not xml"u8.ToArray();

        var error = await hub.RefusalAsync(FinanceSystem, bytes, PackageKind.Status);

        Assert.Equal(
            new Refusal(PackageKind.Status, FinanceSystem.Id, null, ErrorCode.MalformedXml, error.Field, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length,
                hub.Clock.Now.AddTicks(-7)),
            hub.SingleRefusal());
    }

    [Fact]
    public async Task Bytes_that_are_not_xml_are_refused_as_malformed()
    {
        var hub = await StartAsync();
        var error = await hub.RefusalAsync(FinanceSystem, "not xml"u8.ToArray());
        AssertRefused(hub, error, ErrorCode.MalformedXml, "line 1, column 1", from: null);
    }

    [Fact]
    public async Task Xml_whose_root_is_not_edxml_is_refused()
    {
        var hub = await StartAsync();
        var error = await hub.RefusalAsync(FinanceSystem, "<a/>"u8.ToArray());
        AssertRefused(hub, error, ErrorCode.NotEdxml, "/", from: null);
    }

    [Fact]
    public async Task A_package_that_declares_a_dtd_is_refused()
    {
        var hub = await StartAsync();
        var error = await hub.RefusalAsync(FinanceSystem, "<!DOCTYPE edXML []><edXML/>"u8.ToArray());
        AssertRefused(hub, error, ErrorCode.DtdProhibited, "/", from: null);
    }

    [Fact]
    public async Task A_status_sent_where_a_document_is_expected_is_refused_as_the_wrong_kind()
    {
        var hub = await StartAsync();
        var status = Packages.Signed(Packages.Status(Finance, Construction, "000.00.02.H56,2026/01/15,1/XD", StatusCode.Arrived), Seals.Shared.Of(Finance));

        var error = await hub.RefusalAsync(FinanceSystem, status, PackageKind.Document);

        AssertRefused(hub, error, HubErrorCode.WrongPackageKind, "edXML");
        Assert.Equal("SendDocument expects a document package, but this is a status package.", error.Message);
    }

    [Fact]
    public async Task A_document_sent_where_a_status_is_expected_is_refused_as_the_wrong_kind()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction), PackageKind.Status);

        AssertRefused(hub, error, HubErrorCode.WrongPackageKind, "edXML");
        Assert.Equal("SendStatus expects a status package, but this is a document package.", error.Message);
    }

    [Fact]
    public async Task A_package_from_an_agency_the_system_does_not_act_for_is_forbidden()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Construction, Commune));

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: Construction);
        Assert.Equal($"The client system {FinanceSystem.Id} may not act for {Construction} in this way.", error.Message);
    }

    [Fact]
    public async Task A_package_that_names_no_sending_agency_is_forbidden()
    {
        var hub = await StartAsync();
        var package = Packages.Signed(Packages.Document(Finance, Construction) with { From = null }, Seals.Shared.Of(Finance));

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, HubErrorCode.Forbidden, MessageHeader + "From/OrganId", from: null);
        Assert.Equal($"The client system {FinanceSystem.Id} may not act for (no agency) in this way.", error.Message);
    }

    [Fact]
    public async Task A_package_the_edxml_schema_refuses_is_a_schema_violation()
    {
        var hub = await StartAsync();
        var package = Packages.Altered(Packages.Unsigned(Packages.Document(Finance, Construction)), "<edXML:Subject>", "<edXML:Bogus/><edXML:Subject>");

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, ErrorCode.SchemaViolation, "MessageHeader/Bogus", from: Finance);
    }

    [Fact]
    public async Task A_document_without_a_recipient_is_refused()
    {
        var hub = await StartAsync();
        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance));
        AssertRefused(hub, error, ErrorCode.NoRecipient, "MessageHeader/To", from: Finance);
    }

    [Fact]
    public async Task A_document_naming_a_recipient_twice_is_refused_at_the_second_mention()
    {
        var hub = await StartAsync();
        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction, Commune, Construction));
        AssertRefused(hub, error, ErrorCode.DuplicateRecipient, "MessageHeader/To[3]/OrganId", from: Finance);
    }

    [Fact]
    public async Task A_document_marked_secret_is_refused()
    {
        var hub = await StartAsync();
        var package = Packages.Signed(Packages.Document(Finance, Construction) with { Subject = "MẬT - Kế hoạch phòng thủ" }, Seals.Shared.Of(Finance));

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, ErrorCode.SecretDocument, "MessageHeader/Subject", from: Finance);
    }

    [Fact]
    public async Task An_unknown_business_type_is_refused()
    {
        var hub = await StartAsync();
        var package = Packages.Signed(Packages.Document(Finance, Construction) with { Business = new Business { BussinessDocTypeText = "7", Paper = 0 } },
            Seals.Shared.Of(Finance));

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, ErrorCode.UnknownBusinessType, "TraceHeaderList/Bussiness/BussinessDocType", from: Finance);
    }

    [Fact]
    public async Task An_unknown_status_code_is_refused()
    {
        var hub = await StartAsync();
        var status = Packages.Status(Finance, Construction, "000.00.02.H56,2026/01/15,1/XD", StatusCode.Arrived) with { StatusCode = "99" };

        var error = await hub.RefusalAsync(FinanceSystem, Packages.Signed(status, Seals.Shared.Of(Finance)), PackageKind.Status);

        AssertRefused(hub, error, ErrorCode.UnknownStatusCode, "MessageHeader/StatusCode", from: Finance);
    }

    [Fact]
    public async Task A_status_that_does_not_say_which_document_it_is_about_is_refused()
    {
        var hub = await StartAsync();
        var status = Packages.Status(Finance, Construction, "", StatusCode.Arrived);

        var error = await hub.RefusalAsync(FinanceSystem, Packages.Signed(status, Seals.Shared.Of(Finance)), PackageKind.Status);

        AssertRefused(hub, error, ErrorCode.MissingField, "MessageHeader/ResponseFor/DocumentId", from: Finance);
    }

    [Fact]
    public async Task A_status_without_response_for_is_refused()
    {
        var hub = await StartAsync();
        var status = Packages.Status(Finance, Construction, "000.00.02.H56,2026/01/15,1/XD", StatusCode.Arrived) with { ResponseFor = null };

        var error = await hub.RefusalAsync(FinanceSystem, Packages.Signed(status, Seals.Shared.Of(Finance)), PackageKind.Status);

        AssertRefused(hub, error, ErrorCode.MissingField, "MessageHeader/ResponseFor", from: Finance);
    }

    [Fact]
    public async Task Bytes_before_the_xml_declaration_are_refused_under_the_strict_policy()
    {
        var hub = await StartAsync();
        var error = await hub.RefusalAsync(FinanceSystem, [.. "1212"u8, .. SignedDocument(Finance, Construction)]);
        AssertRefused(hub, error, ErrorCode.LeadingJunk, "/", from: Finance);
    }

    [Fact]
    public async Task An_unsigned_package_is_refused_under_the_strict_policy()
    {
        var hub = await StartAsync();
        var error = await hub.RefusalAsync(FinanceSystem, Packages.Unsigned(Packages.Document(Finance, Construction)));
        AssertRefused(hub, error, ErrorCode.SignatureRequired, "Signature", from: Finance);
    }

    [Fact]
    public async Task A_placeholder_signature_is_no_signature_under_the_strict_policy()
    {
        var hub = await StartAsync();
        var error = await hub.RefusalAsync(FinanceSystem, Placeholder(Packages.Document(Finance, Construction)));
        AssertRefused(hub, error, ErrorCode.SignatureRequired, "Signature", from: Finance);
    }

    [Fact]
    public async Task A_package_changed_after_it_was_signed_is_refused()
    {
        var hub = await StartAsync();
        var package = Packages.Altered(SignedDocument(Finance, Construction), "kiểm thử liên thông", "đã sửa");

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, ErrorCode.SignatureDigestMismatch, "Signature/SignedInfo/Reference[1]/DigestValue", from: Finance);
    }

    [Fact]
    public async Task A_signer_under_a_root_the_hub_does_not_trust_is_refused()
    {
        var hub = await StartAsync();
        var package = Packages.Signed(Packages.Document(Finance, Construction), Seals.Shared.ForeignOf(Finance));

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, ErrorCode.CertificateUntrustedRoot, "Signature/KeyInfo", from: Finance);
    }

    [Fact]
    public async Task Without_any_trust_root_configured_a_well_signed_package_is_refused_as_untrusted()
    {
        var hub = await StartAsync(trust: false);

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction));

        AssertRefused(hub, error, ErrorCode.CertificateUntrustedRoot, "Signature/KeyInfo", from: Finance);
    }

    [Fact]
    public async Task A_signer_whose_certificate_has_expired_is_refused()
    {
        var hub = await StartAsync();
        var expired = Seals.Shared.Issue(Finance, new CertificateOptions { NotBefore = DateTimeOffset.UtcNow.AddYears(-2), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) });
        await hub.Directory.AddAgencyCertificateAsync(Finance, expired, "test");

        var error = await hub.RefusalAsync(FinanceSystem, Packages.Signed(Packages.Document(Finance, Construction), expired));

        AssertRefused(hub, error, ErrorCode.CertificateExpired, "Signature/KeyInfo", from: Finance);
    }

    [Fact]
    public async Task A_signer_whose_certificate_is_revoked_is_refused()
    {
        var hub = await StartAsync();
        var revoked = Seals.Shared.Issue(Finance);
        await hub.Directory.AddAgencyCertificateAsync(Finance, revoked, "test");
        await hub.Directory.AddCrlAsync(Seals.Shared.Trusted.CreateCrl([revoked]), Seals.Shared.Trusted.Intermediate.Subject, hub.Clock.Now, "test");

        var error = await hub.RefusalAsync(FinanceSystem, Packages.Signed(Packages.Document(Finance, Construction), revoked));

        AssertRefused(hub, error, ErrorCode.CertificateRevoked, "Signature/KeyInfo", from: Finance);
    }

    [Fact]
    public async Task A_trusted_signer_not_registered_for_the_sending_agency_is_a_signer_mismatch()
    {
        var hub = await StartAsync();
        var package = Packages.Signed(Packages.Document(Finance, Construction), Seals.Shared.Of(Construction));

        var error = await hub.RefusalAsync(FinanceSystem, package);

        AssertRefused(hub, error, HubErrorCode.SignerMismatch, "edXMLEnvelope/edXMLHeader/Signature/KeyInfo", from: Finance);
        Assert.Equal($"The signer certificate {Seals.Shared.Of(Construction).Subject} is not registered for the sending agency {Finance}.", error.Message);
    }

    [Fact]
    public async Task A_package_whose_hops_name_this_hub_is_refused_as_a_loop()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction), arrival: new Arrival(Hops: ["national", Id]));

        AssertRefused(hub, error, HubErrorCode.LoopDetected, "lgsp-hops", from: null);
        Assert.Contains($"({Id}; hops national,{Id})", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("national,province")]
    public async Task A_hop_that_is_blank_or_holds_a_comma_is_an_invalid_request(string hop)
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction), arrival: new Arrival(Hops: ["national", hop]));

        AssertRefused(hub, error, HubErrorCode.InvalidRequest, "lgsp-hops", from: null);
    }

    [Theory]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890")]
    [InlineData("not a hash")]
    public async Task A_previous_receipt_hash_that_is_not_64_lower_case_hex_digits_is_an_invalid_request(string previous)
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction), arrival: new Arrival(PreviousReceiptSha256: previous));

        AssertRefused(hub, error, HubErrorCode.InvalidRequest, "lgsp-prev-receipt", from: null);
    }

    [Fact]
    public async Task Asking_to_route_a_recipient_the_package_does_not_address_is_an_invalid_request()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Finance, Construction), arrival: new Arrival(Recipients: [Construction, Commune]));

        AssertRefused(hub, error, HubErrorCode.InvalidRequest, "to", from: Finance);
        Assert.Equal($"The request is invalid: '{Commune}' is not among the recipients the package addresses", error.Message);
    }

    [Fact]
    public async Task A_new_document_reusing_a_document_id_for_other_bytes_is_refused_and_the_first_stays_the_only_one()
    {
        var hub = await StartAsync();
        var first = Packages.Document(Finance, Construction);
        await hub.SendAsync(FinanceSystem, Packages.Signed(first, Seals.Shared.Of(Finance)));
        var again = Packages.Signed(Packages.Document(Finance, Commune) with { DocumentId = first.DocumentId }, Seals.Shared.Of(Finance));

        var error = await hub.RefusalAsync(FinanceSystem, again);

        Assert.Equal((HubErrorCode.DuplicateDocumentId, MessageHeader + "DocumentId"), (error.Code, error.Field));
        Assert.Equal($"The agency {Finance} already sent a different package with DocumentId {first.DocumentId}.", error.Message);
        Assert.Single(hub.Store.Packages);
        Assert.Equal([Construction], hub.Store.Deliveries.Select(d => d.Delivery.Recipient));
        Assert.Empty(hub.Queue.Enqueued);
        var refusal = Assert.Single(hub.Store.Refusals);
        Assert.Equal((HubErrorCode.DuplicateDocumentId, Finance, Convert.ToHexStringLower(SHA256.HashData(again))), (refusal.Code, refusal.From, refusal.Sha256));
    }

    [Fact]
    public async Task Every_refusal_carries_an_english_and_a_vietnamese_sentence()
    {
        var hub = await StartAsync();

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Construction, Commune));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal($"Hệ thống {FinanceSystem.Id} không được phép thực hiện thao tác này thay cho {Construction}.", error.MessageVi);
    }

    internal static byte[] Placeholder(DocumentPackage document) =>
        Packages.Altered(Packages.Unsigned(document), "</edXML:edXMLHeader>", "<edXML:Signature/></edXML:edXMLHeader>");

    /// <summary>The error has the code and field, and the hub recorded exactly that refusal, claimed to come
    /// from <paramref name="from"/>, and stored nothing.</summary>
    internal static void AssertRefused(AcceptHub hub, EdxmlError error, string code, string field, string? from) =>
        Assert.Equal(from, AssertRefused(hub, error, code, field).From);

    /// <summary>The error has the code and field, and the hub recorded exactly that refusal and stored nothing.</summary>
    internal static Refusal AssertRefused(AcceptHub hub, EdxmlError error, string code, string field)
    {
        Assert.Equal((code, field), (error.Code, error.Field));
        Assert.True(error.IsError);
        var refusal = hub.SingleRefusal();
        Assert.Equal((code, field), (refusal.Code, refusal.Field));
        return refusal;
    }
}
