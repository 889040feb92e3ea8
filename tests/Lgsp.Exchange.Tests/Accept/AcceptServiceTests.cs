using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Support;
using static Lgsp.Exchange.Tests.Accept.AcceptHub;

namespace Lgsp.Exchange.Tests.Accept;

/// <summary>What an accepted package leaves: the package stored once, byte for byte, with what its
/// header says and how it was judged; the answer; the hub's signed receipt; and for a repeat, the
/// first answer.</summary>
public sealed class AcceptServiceTests
{
    [Fact]
    public async Task An_accepted_document_is_stored_byte_for_byte_with_its_header_and_how_it_was_judged()
    {
        var hub = await StartAsync();
        var document = Packages.Document(Finance, Construction) with { Subject = "V/v báo cáo quyết toán" };
        var bytes = Packages.Signed(document, Seals.Shared.Of(Finance));

        await hub.SendAsync(FinanceSystem, bytes);

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal(bytes, stored.Body.ToArray());
        Assert.Equal(SHA256.HashData(bytes), stored.Sha256);
        Assert.Equal((PackageKind.Document, FinanceSystem.Id, Finance, document.DocumentId), (stored.Kind, stored.SenderSystem, stored.From, stored.DocumentId));
        Assert.Equal((BusinessDocType.New, document.Code!.CodeNumber, "STC-NS", "V/v báo cáo quyết toán"),
            (stored.BusinessType, stored.CodeNumber, stored.CodeNotation, stored.Subject));
        Assert.Equal((false, "valid", "registered"), (stored.Legacy, stored.Signature, stored.SignerBinding));
        Assert.Equal(Seals.Shared.Of(Finance).Subject, stored.SignerSubject);
        Assert.Equal(SHA256.HashData(Seals.Shared.Of(Finance).RawData), stored.SignerSha256);
        Assert.Empty(stored.Hops);
        Assert.Null(stored.PreviousReceiptSha256);
        Assert.Empty(hub.Store.Refusals);
    }

    [Fact]
    public async Task The_hub_records_the_time_of_receipt_to_the_microsecond()
    {
        var hub = await StartAsync();

        var acceptance = await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Construction));

        Assert.Equal(hub.Clock.Now.AddTicks(-7), acceptance.ReceivedAt);
        Assert.Equal(acceptance.ReceivedAt, Assert.Single(hub.Store.Packages).Package.ReceivedAt);
    }

    [Fact]
    public async Task The_answer_names_the_stored_package_its_document_id_and_the_hash_of_the_bytes()
    {
        var hub = await StartAsync();
        var document = Packages.Document(Finance, Construction);
        var bytes = Packages.Signed(document, Seals.Shared.Of(Finance));

        var acceptance = await hub.SendAsync(FinanceSystem, bytes);

        var stored = Assert.Single(hub.Store.Packages);
        Assert.Equal((stored.Id, document.DocumentId, Convert.ToHexStringLower(SHA256.HashData(bytes)), false),
            (acceptance.PackageId, acceptance.DocumentId, acceptance.Sha256, acceptance.Duplicate));
    }

    [Fact]
    public async Task The_receipt_is_signed_by_the_hub_and_states_the_package_as_received()
    {
        var hub = await StartAsync();
        var document = Packages.Document(Finance, Construction);
        var bytes = Packages.Signed(document, Seals.Shared.Of(Finance));

        var acceptance = await hub.SendAsync(FinanceSystem, bytes);

        var verdict = SignedXmlDocument.Verify(acceptance.Receipt, new SignerCheck(new CertificateTrust(new TrustOptions
        {
            Roots = [Seals.Shared.Trusted.Root],
            Intermediates = [Seals.Shared.Trusted.Intermediate],
        })), acceptance.ReceivedAt);
        Assert.True(verdict is { IsValid: true, IsTrusted: true }, verdict.Problem);
        Assert.Equal(Seals.Shared.Hub.Certificate.RawData, verdict.Signer!.RawData);
        Assert.Equal(
            new ReceiptContent(Id, Finance, document.DocumentId!, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, acceptance.ReceivedAt, acceptance.LedgerSeq),
            ReceiptContent.TryRead(acceptance.Receipt));
        var receipt = XDocument.Parse(Encoding.UTF8.GetString(acceptance.Receipt)).Root!;
        Assert.Equal("document", receipt.Element(XName.Get("Kind", ReceiptIssuer.Namespace))?.Value);
        Assert.Null(receipt.Element(XName.Get("Hops", ReceiptIssuer.Namespace)));
        Assert.Null(receipt.Element(XName.Get("PreviousReceipt", ReceiptIssuer.Namespace)));
    }

    [Fact]
    public async Task The_answer_carries_the_receipt_the_store_keeps_with_the_package()
    {
        var hub = await StartAsync();

        var acceptance = await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Construction));

        Assert.Equal(await hub.Store.ReadReceiptAsync(acceptance.PackageId), acceptance.Receipt);
    }

    [Fact]
    public async Task Sending_the_same_bytes_again_is_answered_with_the_first_acceptance_and_stores_nothing_more()
    {
        var hub = await StartAsync();
        var bytes = SignedDocument(Finance, Construction, Commune);
        var first = await hub.SendAsync(FinanceSystem, bytes);
        hub.Clock.Now += TimeSpan.FromMinutes(5);

        var again = await hub.SendAsync(FinanceSystem, bytes);

        Assert.True(again.Duplicate);
        Assert.Equal(first with { Duplicate = true }, again with { Receipt = first.Receipt });
        Assert.Equal(first.Receipt, again.Receipt);
        Assert.Single(hub.Store.Packages);
        Assert.Equal(2, hub.Store.Deliveries.Count);
        Assert.Single(hub.Queue.Enqueued);
        Assert.Empty(hub.Store.Refusals);
    }

    [Fact]
    public async Task A_repeat_that_asks_for_a_recipient_without_a_delivery_yet_gets_it_with_the_first_answer_and_its_push_is_enqueued()
    {
        var hub = await StartAsync();
        var bytes = SignedDocument(Finance, Construction, Commune);
        var first = await hub.SendAsync(FinanceSystem, bytes, arrival: new(Recipients: [Construction]));
        Assert.Empty(hub.Queue.Enqueued);

        var again = await hub.SendAsync(FinanceSystem, bytes, arrival: new(Recipients: [Commune]));

        Assert.True(again.Duplicate);
        Assert.Equal(first.PackageId, again.PackageId);
        Assert.Equal([Construction, Commune], hub.Store.Deliveries.Select(d => d.Delivery.Recipient));
        Assert.Equal([hub.Store.Deliveries[1].Id], hub.Queue.Enqueued);
    }

    [Fact]
    public async Task A_resend_is_judged_again_so_a_signer_revoked_since_makes_it_a_refusal_not_a_duplicate()
    {
        var hub = await StartAsync();
        var signer = Seals.Shared.Issue(Finance);
        await hub.Directory.AddAgencyCertificateAsync(Finance, signer, "test");
        var bytes = Packages.Signed(Packages.Document(Finance, Construction), signer);
        await hub.SendAsync(FinanceSystem, bytes);
        await hub.Directory.AddCrlAsync(Seals.Shared.Trusted.CreateCrl([signer]), Seals.Shared.Trusted.Intermediate.Subject, hub.Clock.Now, "test");

        var error = await hub.RefusalAsync(FinanceSystem, bytes);

        Assert.Equal(ErrorCode.CertificateRevoked, error.Code);
        Assert.Single(hub.Store.Packages);
        Assert.Single(hub.Store.Refusals);
    }

    [Fact]
    public async Task A_status_is_stored_under_the_document_it_is_about_and_goes_to_the_agency_it_responds_to()
    {
        var hub = await StartAsync();
        const string documentId = "000.00.01.H56,2026/01/15,7/STC-NS";
        var construction = new ClientSystem("qlvb-sxd", PackagePolicy.Strict, new HashSet<string> { Construction });
        var bytes = Packages.Signed(Packages.Status(Construction, Finance, documentId, StatusCode.Accepted), Seals.Shared.Of(Construction));

        var acceptance = await hub.SendAsync(construction, bytes, PackageKind.Status);

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal((PackageKind.Status, Construction, documentId, "03", Finance), (stored.Kind, stored.From, stored.DocumentId, stored.StatusCode, stored.StatusTarget));
        Assert.Equal((Finance, Construction), stored.StatusAbout);
        Assert.Equal(documentId, acceptance.DocumentId);
        Assert.Equal([Finance], hub.Store.Deliveries.Select(d => d.Delivery.Recipient));
        var receipt = XDocument.Parse(Encoding.UTF8.GetString(acceptance.Receipt)).Root!;
        Assert.Equal(("status", documentId), (receipt.Element(XName.Get("Kind", ReceiptIssuer.Namespace))?.Value, receipt.Element(XName.Get("DocumentId", ReceiptIssuer.Namespace))?.Value));
    }

    [Fact]
    public async Task A_request_to_take_a_document_back_is_about_the_delivery_from_its_sender_to_the_recipient_it_names()
    {
        var hub = await StartAsync();
        const string documentId = "000.00.01.H56,2026/01/15,7/STC-NS";
        var bytes = Packages.Signed(Packages.Status(Finance, Construction, documentId, StatusCode.TakeBackRequested), Seals.Shared.Of(Finance));

        await hub.SendAsync(FinanceSystem, bytes, PackageKind.Status);

        var stored = Assert.Single(hub.Store.Packages).Package;
        Assert.Equal(("13", Construction, (Finance, Construction)), (stored.StatusCode, stored.StatusTarget, stored.StatusAbout));
        Assert.Equal([Construction], hub.Store.Deliveries.Select(d => d.Delivery.Recipient));
    }

    [Fact]
    public async Task A_store_that_fails_is_not_a_refusal_nothing_is_recorded_as_refused_or_enqueued()
    {
        var hub = await StartAsync();
        hub.Store.Unavailable = true;

        await Assert.ThrowsAsync<TimeoutException>(() => hub.SendAsync(FinanceSystem, SignedDocument(Finance, Commune)));

        Assert.Empty(hub.Store.Refusals);
        Assert.Empty(hub.Queue.Enqueued);
    }
}
