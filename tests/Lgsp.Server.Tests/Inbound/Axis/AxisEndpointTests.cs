using System.Text;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Inbound.Axis.AxisHub;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>The 13 operations, authentication and the two front doors sharing one hub, driven over
/// loopback HTTP by an SDK-like client written from VXP.md.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class AxisEndpointTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_document_sent_by_sendEdoc_is_counted_listed_fetched_downloaded_and_acknowledged_by_its_recipient()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        var package = hub.SignedDocument(Commune, [Finance]);

        var sent = await sender.SendEdocAsync(Send(Commune), package);

        Assert.Equal(("OK", "0"), (sent.Status, sent.ErrorCode));
        Assert.Equal(sent.DocId, (await hub.ScalarAsync("SELECT id FROM lgsp.package"))!.ToString());
        Assert.StartsWith("<", Encoding.UTF8.GetString(Convert.FromBase64String(sent.Json!["Receipt"]!.GetValue<string>())), StringComparison.Ordinal);

        using var receiver = hub.Sdk(Finance);
        Assert.Equal(1, (await receiver.CountReceiveEdocAsync(EdocList)).Count);
        var item = Assert.Single((await receiver.GetReceivedEdocListAsync(EdocList)).Items!);
        var deliveryId = (await hub.ScalarAsync("SELECT id FROM lgsp.delivery"))!.ToString()!;
        Assert.Equal(deliveryId, item["docId"]);
        Assert.Equal((Commune, Finance, "edoc", "eDoc", "initial"), (item["from"], item["to"], item["messageType"], item["serviceType"], item["status"]));
        Assert.True(IsProtocolTime(item["created_time"]) && IsProtocolTime(item["updated_time"]));

        var fetched = await receiver.GetEdocAsync($$"""{"filePath":"xml","docId":"{{deliveryId}}"}""");
        Assert.Equal("OK", fetched.Status);
        Assert.Equal(package, Encoding.UTF8.GetBytes(fetched.Data!));
        Assert.Equal(hub.HubId(), fetched.Json!["Hops"]!.GetValue<string>());
        Assert.Equal("strict", fetched.Json!["Policy"]!.GetValue<string>());
        Assert.Equal(sent.Json!["Receipt"]!.GetValue<string>(), fetched.Json!["Receipt"]!.GetValue<string>());

        var downloaded = await receiver.DownloadEdocAsync($$"""{"filePath":"xml","docId":"{{deliveryId}}"}""");
        Assert.Equal("SUCCESS", downloaded.Status);
        Assert.Equal(package, downloaded.File);

        var updated = await receiver.UpdateStatusAsync($$"""{"status":"done","docId":"{{deliveryId}}"}""");
        Assert.Equal(("OK", "0"), (updated.Status, updated.ErrorCode));
        Assert.Empty((await receiver.GetReceivedEdocListAsync(EdocList)).Items!);
        Assert.Equal(0, (await receiver.CountReceiveEdocAsync(EdocList)).Count);

        var row = Assert.Single((await sender.GetSentEdocListAsync(EdocList)).Items!);
        Assert.Equal((sent.DocId, deliveryId, Commune, Finance), (row["senderDocId"], row["receiverDocId"], row["fromCode"], row["toCode"]));
        Assert.Equal(("done", "done", "edoc"), (row["sendStatus"], row["receiveStatus"], row["messageType"]));
        Assert.True(IsProtocolTime(row["sentTime"]) && IsProtocolTime(row["receivedTime"]));
    }

    [Fact]
    public async Task A_status_sent_by_sendEdoc_is_counted_and_listed_as_a_status_only()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        var package = hub.SignedDocument(Commune, [Finance]);
        Assert.Equal("OK", (await sender.SendEdocAsync(Send(Commune), package)).Status);
        var documentId = DocumentIdOf(package);
        var status = TestPackages.Sign(TestPackages.Status(Finance, Commune, documentId, Edxml.Model.StatusCode.Arrived), hub.System(Finance).CertPem, hub.System(Finance).KeyPem);

        using var receiver = hub.Sdk(Finance);
        var answer = await receiver.SendEdocAsync(Send(Finance, "status"), status);

        Assert.Equal("OK", answer.Status);
        Assert.Equal(1, (await sender.CountReceiveStatusAsync(StatusList)).Count);
        Assert.Equal(0, (await sender.CountReceiveEdocAsync(EdocList)).Count);
        var item = Assert.Single((await sender.GetReceivedEdocListAsync(StatusList)).Items!);
        Assert.Equal(("status", Finance), (item["messageType"], item["from"]));
        Assert.Empty((await sender.GetReceivedEdocListAsync(EdocList)).Items!);
    }

    [Fact]
    public async Task A_package_whose_kind_differs_from_messagetype_is_refused_with_the_accept_paths_code()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);

        var answer = await sender.SendEdocAsync(Send(Commune, "status"), hub.SignedDocument(Commune, [Finance]));

        Assert.Equal(("FAIL", "WrongPackageKind", "", 200), (answer.Status, answer.ErrorCode, answer.DocId, answer.HttpStatus));
    }

    [Fact]
    public async Task A_document_sent_by_SOAP_is_pulled_byte_identical_through_the_axis_and_its_acknowledgement_is_seen_by_SOAP()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var package = hub.SignedDocument(Commune, [Finance]);
        var soap = hub.Client(Commune);
        var sent = await soap.SendDocumentAsync(new SendDocumentRequest { Package = package });

        using var receiver = hub.Sdk(Finance);
        var item = Assert.Single((await receiver.GetReceivedEdocListAsync(EdocList)).Items!);
        var fetched = await receiver.GetEdocAsync($$"""{"filePath":"xml","docId":"{{item["docId"]}}"}""");
        await receiver.UpdateStatusAsync($$"""{"status":"done","docId":"{{item["docId"]}}"}""");

        Assert.Equal(package, Encoding.UTF8.GetBytes(fetched.Data!));
        var delivery = Assert.Single((await soap.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = sent.DocumentId })).Deliveries);
        Assert.Equal("acknowledged", delivery.State);
    }

    [Fact]
    public async Task A_document_sent_through_the_axis_is_pulled_byte_identical_by_SOAP_with_the_same_ledger_kinds_as_a_SOAP_send()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var viaAxis = hub.SignedDocument(Commune, [Finance]);
        var viaSoap = hub.SignedDocument(Commune, [Finance]);
        using var sender = hub.Sdk(Commune);
        var sent = await sender.SendEdocAsync(Send(Commune), viaAxis);
        await hub.Client(Commune).SendDocumentAsync(new SendDocumentRequest { Package = viaSoap });

        var soap = hub.Client(Finance);
        var pending = await soap.GetPendingDocumentsAsync(new GetPendingDocumentsRequest());
        Assert.Equal(2, pending.Items.Length);
        foreach (var (item, package) in pending.Items.Zip([viaAxis, viaSoap]))
        {
            Assert.Equal(DocumentIdOf(package), item.DocumentId);
            Assert.Equal(package, (await soap.GetDocumentAsync(new GetDocumentRequest { Id = item.Id })).Package);
            await soap.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = item.Id, Outcome = Outcome.Done });
        }

        var row = Assert.Single((await sender.GetSentEdocListAsync($$"""{"servicetype":"eDoc","messagetype":"edoc","docId":"{{sent.DocId}}"}""")).Items!);
        Assert.Equal("done", row["receiveStatus"]);
        var kinds = await hub.ScalarAsync("""
            SELECT count(DISTINCT k) FROM (SELECT package_id, string_agg(kind, ',' ORDER BY seq) AS k FROM lgsp.ledger WHERE package_id IS NOT NULL GROUP BY package_id) x
            """);
        Assert.Equal(1L, kinds);
    }

    [Fact]
    public async Task The_to_parameter_narrows_the_recipients_and_may_not_name_one_the_package_does_not_address()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);

        var narrowed = await sender.SendEdocAsync(Send(Commune, extra: $$"""
            "to":["{{Finance}}"]
            """), hub.SignedDocument(Commune, [Finance, Province]));
        var widened = await sender.SendEdocAsync(Send(Commune, extra: """
            "to":["000.00.62.H56"]
            """), hub.SignedDocument(Commune, [Finance]));

        Assert.Equal("OK", narrowed.Status);
        Assert.Equal(Finance, await hub.ScalarAsync("SELECT string_agg(recipient, ',') FROM lgsp.delivery"));
        Assert.Equal(("FAIL", "InvalidRequest", "to", ""), (widened.Status, widened.ErrorCode, Field(widened), widened.DocId));
    }

    [Fact]
    public async Task updateStatus_fail_fails_the_delivery_processing_keeps_it_pending_once_in_the_ledger_and_other_values_are_refused()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        await sender.SendEdocAsync(Send(Commune), hub.SignedDocument(Commune, [Finance, Province]));
        using var finance = hub.Sdk(Finance);
        using var province = hub.Sdk(Province);
        var financeId = Assert.Single((await finance.GetReceivedEdocListAsync(EdocList)).Items!)["docId"];
        var provinceId = Assert.Single((await province.GetReceivedEdocListAsync(EdocList)).Items!)["docId"];

        Assert.Equal("OK", (await finance.UpdateStatusAsync($$"""{"status":"processing","docId":"{{financeId}}"}""")).Status);
        Assert.Equal("OK", (await finance.UpdateStatusAsync($$"""{"status":"processing","docId":"{{financeId}}"}""")).Status);
        Assert.Equal("OK", (await province.UpdateStatusAsync($$"""{"status":"fail","docId":"{{provinceId}}"}""")).Status);
        Assert.Equal("OK", (await province.UpdateStatusAsync($$"""{"status":"fail","docId":"{{provinceId}}"}""")).Status);
        var other = await finance.UpdateStatusAsync($$"""{"status":"inbox","docId":"{{financeId}}"}""");

        Assert.Single((await finance.GetReceivedEdocListAsync(EdocList)).Items!);
        Assert.Equal(1L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.processing' AND delivery_id = {financeId}"));
        Assert.Equal(("failed", $"fail reported by {hub.System(Province).Id}"), (
            await hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE id = {provinceId}"),
            await hub.ScalarAsync($"SELECT last_error FROM lgsp.delivery WHERE id = {provinceId}")));
        Assert.Equal(1L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.failed' AND delivery_id = {provinceId}"));
        Assert.Equal(("FAIL", "InvalidValue", "status"), (other.Status, other.ErrorCode, Field(other)));
        var rows = (await sender.GetSentEdocListAsync(EdocList)).Items!;
        Assert.Equal("fail", rows.Single(r => r["toCode"] == Province)["receiveStatus"]);
        Assert.Equal("initial", rows.Single(r => r["toCode"] == Finance)["receiveStatus"]);
    }

    internal static string? Field(Sdk.VxpResult result) => result.Json?["ErrorField"]?.GetValue<string>();

    private static string Version(Sdk.VxpResult sync, string code) => sync.Items!.Single(a => a["code"] == code)["version"];

    internal static string DocumentIdOf(byte[] package)
    {
        using var model = (Edxml.Model.DocumentPackage)Edxml.Reading.PackageReader.Read(package);
        return model.DocumentId!;
    }
}
