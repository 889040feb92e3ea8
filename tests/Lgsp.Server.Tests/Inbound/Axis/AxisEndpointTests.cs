using System.Globalization;
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
public sealed class AxisEndpointTests(PostgresFixture postgres)
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
    public async Task The_directory_lists_numeric_ids_parents_successor_codes_and_tiers_by_level()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var list = (await client.GetAgenciesListAsync()).Items!;
        var province = list.Single(a => a["code"] == Province);
        var finance = list.Single(a => a["code"] == Finance);
        Assert.Equal("", province["pid"]);
        Assert.Equal(province["id"], finance["pid"]);
        Assert.True(long.Parse(finance["id"], CultureInfo.InvariantCulture) > 0);
        Assert.Equal("000.00.04.H56", finance["oldCode"]);
        Assert.DoesNotContain(list, a => a["code"] == "000.00.04.H56");
        Assert.Equal("UBND tỉnh Thanh Hóa", province["name"]);

        var level1 = (await client.GetAgenciesListQD20Async("""{"level":"1"}""")).Items!;
        Assert.Equal([Province], level1.Select(a => a["code"]));
        Assert.Equal(Province, level1[0]["code102"]);
        var level3 = (await client.GetAgenciesListQD20Async("""{"level":"3"}""")).Items!;
        Assert.Equal(["000.00.61.H56", "000.00.62.H56", "000.00.63.H56"], level3.Select(a => a["code"]).Order());

        var sync = (await client.GetSynchronizeUnitAsync()).Items!;
        Assert.Equal(list.Count + 1, sync.Count);
        Assert.All(sync, a =>
        {
            Assert.Equal((hub.HubId(), "true", "false"), (a["centerCode"], a["isAgency"], a["deleted"]));
            Assert.True(int.Parse(a["version"], CultureInfo.InvariantCulture) >= 1);
            Assert.True(IsProtocolTime(a["modifyDate"]));
        });
    }

    [Fact]
    public async Task A_system_registers_updates_and_deletes_its_own_agency_with_versions_and_a_tombstone_each_registration_once_approved()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);
        const string body = """{"id":"","pcode":"000.00.61.H56","code":"000.01.61.H56","name":"Thôn Đông (thử)","mail":"thondong@example.gov.vn","mobile":"","fax":""}""";

        var asked = await client.RegisterAgencyAsync("{}", body);
        Assert.Equal(("OK", "pending"), (asked.Status, asked.Json!["Registration"]!.GetValue<string>()));
        Assert.Equal("OK", (await client.RegisterAgencyAsync("{}", body)).Status);
        Assert.DoesNotContain((await client.GetAgenciesListAsync()).Items!, a => a["code"] == "000.01.61.H56");
        await hub.ApproveAsync("000.01.61.H56");
        var registered = (await client.GetAgenciesListAsync()).Items!.Single(a => a["code"] == "000.01.61.H56");
        var parent = (await client.GetAgenciesListAsync()).Items!.Single(a => a["code"] == Commune);
        Assert.Equal((parent["id"], "Thôn Đông (thử)", "thondong@example.gov.vn"), (registered["pid"], registered["name"], registered["mail"]));
        Assert.Equal("1", Version(await client.GetSynchronizeUnitAsync(), "000.01.61.H56"));
        Assert.Equal(hub.System(Commune).Id, await hub.ScalarAsync("SELECT system_id FROM lgsp.client_system_agency WHERE agency_code = '000.01.61.H56' AND registered"));
        Assert.Equal(1L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.ledger WHERE kind = 'directory.changed' AND actor = '{hub.System(Commune).Id}'"));

        Assert.Equal("OK", (await client.RegisterAgencyAsync("{}", body.Replace("Thôn Đông", "Thôn Tây", StringComparison.Ordinal))).Status);
        Assert.Equal("1", Version(await client.GetSynchronizeUnitAsync(), "000.01.61.H56"));
        await hub.ApproveAsync("000.01.61.H56");
        Assert.Equal("2", Version(await client.GetSynchronizeUnitAsync(), "000.01.61.H56"));

        Assert.Equal("OK", (await client.DeleteAgencyAsync("""{"AgencyCode":"000.01.61.H56"}""")).Status);
        Assert.Equal("OK", (await client.DeleteAgencyAsync("""{"AgencyCode":"000.01.61.H56"}""")).Status);
        var tombstone = (await client.GetSynchronizeUnitAsync()).Items!.Single(a => a["code"] == "000.01.61.H56");
        Assert.Equal(("3", "true"), (tombstone["version"], tombstone["deleted"]));
        Assert.DoesNotContain((await client.GetAgenciesListAsync()).Items!, a => a["code"] == "000.01.61.H56");
        Assert.Equal(3L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.ledger WHERE kind = 'directory.changed' AND actor = '{hub.System(Commune).Id}'"));
        Assert.Equal(2L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE detail->>'change' = 'agency.registration.approved'"));
    }

    [Fact]
    public async Task A_system_may_not_take_over_an_agency_an_administrator_or_another_system_registered()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var commune = hub.Sdk(Commune);
        using var finance = hub.Sdk(Finance);
        Assert.Equal("OK", (await commune.RegisterAgencyAsync("{}", $$"""{"code":"000.01.61.H56","name":"Thôn Đông","pcode":"{{Commune}}"}""")).Status);
        var waiting = await finance.RegisterAgencyAsync("{}", $$"""{"code":"000.01.61.H56","name":"Hijacked","pcode":"{{Finance}}"}""");
        await hub.ApproveAsync("000.01.61.H56");

        var adminOwned = await finance.RegisterAgencyAsync("{}", $$"""{"code":"{{Province}}","name":"Hijacked","pcode":"{{Finance}}"}""");
        var systemOwned = await finance.RegisterAgencyAsync("{}", $$"""{"code":"000.01.61.H56","name":"Hijacked","pcode":"{{Finance}}"}""");
        var deleted = await finance.DeleteAgencyAsync("""{"AgencyCode":"000.01.61.H56"}""");
        var unknown = await finance.DeleteAgencyAsync("""{"AgencyCode":"999.99.99.H56"}""");

        Assert.Equal(("FAIL", "Forbidden", "code"), (waiting.Status, waiting.ErrorCode, Field(waiting)));
        Assert.Equal(("FAIL", "Forbidden", "code"), (adminOwned.Status, adminOwned.ErrorCode, Field(adminOwned)));
        Assert.Equal(("FAIL", "Forbidden", "code"), (systemOwned.Status, systemOwned.ErrorCode, Field(systemOwned)));
        Assert.Equal(("FAIL", "Forbidden", "AgencyCode"), (deleted.Status, deleted.ErrorCode, Field(deleted)));
        Assert.Equal(("FAIL", "NotFound", "AgencyCode"), (unknown.Status, unknown.ErrorCode, Field(unknown)));
        Assert.Equal("UBND tỉnh Thanh Hóa", await hub.ScalarAsync($"SELECT name FROM lgsp.agency WHERE code = '{Province}'"));
        Assert.Equal("Thôn Đông", await hub.ScalarAsync("SELECT name FROM lgsp.agency WHERE code = '000.01.61.H56' AND NOT deleted"));
    }

    [Theory]
    [InlineData("""{"id":"","pcode":"00.22.W00","code":"999.010.01.H22","name":"Hà giang test V4 ","mail":cc"","mobile":"","fax":""}""", "body")]
    [InlineData("""["code","name"]""", "body")]
    [InlineData("""{"code":"000.01.61.H56"}""", "name")]
    [InlineData("""{"name":"Thôn"}""", "code")]
    [InlineData("""{"code":"000.01.61.H56","name":"Thôn","pcode":"999.99.99.H99"}""", "pcode")]
    public async Task A_registerAgency_body_that_is_malformed_or_incomplete_is_a_FAIL_naming_the_field(string body, string field)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var answer = await client.RegisterAgencyAsync("{}", body);

        Assert.Equal((200, "FAIL", field), (answer.HttpStatus, answer.Status, Field(answer)));
        Assert.Contains(" | ", answer.ErrorDesc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_with_401_and_a_FAIL_envelope_that_does_not_echo_the_MAC()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = new Sdk.VxpClient(hub.AxisUri.ToString(), hub.System(Commune).Id, "not-the-secret");

        var answer = await client.GetReceivedEdocListAsync(EdocList);
        var sent = await client.SendEdocAsync(Send(Commune), hub.SignedDocument(Commune, [Finance]));

        Assert.Equal((401, "FAIL", "SignatureInvalid", "XroadVnpt-hash-header"), (answer.HttpStatus, answer.Status, answer.ErrorCode, Field(answer)));
        Assert.Equal((401, "FAIL", "SignatureInvalid", ""), (sent.HttpStatus, sent.Status, sent.ErrorCode, sent.DocId));
        var expectedMac = client.LastHeaders.Single(h => h.Key == "XroadVnpt-hash-header").Value;
        Assert.DoesNotContain(expectedMac, Encoding.UTF8.GetString(sent.Body), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task A_timestamp_frozen_years_ago_is_accepted_and_counted_as_stale()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune, constructedAt: new DateTime(2019, 6, 1, 8, 30, 0, 123));

        var answer = await client.CountReceiveEdocAsync(EdocList);

        Assert.Equal(("OK", 0), (answer.Status, answer.Count));
        Assert.Equal("01062019T083000+0123", client.LastHeaders.Single(h => h.Key == "XroadVnpt-timestamp").Value);
        var metrics = await hub.Http.GetStringAsync("/metrics");
        Assert.Contains("lgsp_axis_stale_timestamps_total{operation=\"countReceiveEdoc\"} 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.System(Commune).Id, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_system_is_refused_with_401_UnknownSystem()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = new Sdk.VxpClient(hub.AxisUri.ToString(), "no-such-system", "whatever");

        var answer = await client.GetAgenciesListAsync();

        Assert.Equal((401, "FAIL", "UnknownSystem", "XroadVnpt-systemid"), (answer.HttpStatus, answer.Status, answer.ErrorCode, Field(answer)));
    }

    [Theory]
    [InlineData("XroadVnpt-systemid")]
    [InlineData("XroadVnpt-sign-header")]
    [InlineData("XroadVnpt-sign-header-key")]
    [InlineData("XroadVnpt-hash-header")]
    public async Task A_request_missing_a_header_of_the_scheme_is_refused_with_401_naming_it(string missing)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);
        await client.GetAgenciesListAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, hub.AxisUri + "/getAgenciesList");
        foreach (var (name, value) in client.LastHeaders.Where(h => h.Key != missing && h.Key.StartsWith("XroadVnpt-", StringComparison.Ordinal)))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await hub.Http.SendAsync(request);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal(("FAIL", "HeadersMissing", missing), (json["status"]!.GetValue<string>(), json["ErrorCode"]!.GetValue<string>(), json["ErrorField"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_system_whose_secret_was_never_sealed_is_told_to_set_it_again()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        await hub.ScalarAsync($"UPDATE lgsp.client_system SET secret_box = NULL WHERE id = '{hub.System(Commune).Id}'");
        using var client = hub.Sdk(Commune);

        var answer = await client.GetAgenciesListAsync();

        Assert.Equal((401, "FAIL", "SecretNotSealed"), (answer.HttpStatus, answer.Status, answer.ErrorCode));
        Assert.Contains("must be set again", answer.ErrorDesc, StringComparison.Ordinal);
        Assert.Contains("cần đặt lại", answer.ErrorDesc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task sendEdoc_from_an_agency_of_another_system_is_Forbidden_naming_from()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var answer = await client.SendEdocAsync(Send(Finance), hub.SignedDocument(Finance, [Commune]));

        Assert.Equal((200, "FAIL", "Forbidden", "from", ""), (answer.HttpStatus, answer.Status, answer.ErrorCode, Field(answer), answer.DocId));
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task getEdoc_updateStatus_and_downloadEdoc_of_another_systems_delivery_are_refused()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        await sender.SendEdocAsync(Send(Commune), hub.SignedDocument(Commune, [Finance]));
        var deliveryId = (await hub.ScalarAsync("SELECT id FROM lgsp.delivery"))!.ToString();
        using var other = hub.Sdk(Province);

        var fetched = await other.GetEdocAsync($$"""{"docId":"{{deliveryId}}"}""");
        var updated = await other.UpdateStatusAsync($$"""{"status":"done","docId":"{{deliveryId}}"}""");
        var downloaded = await other.DownloadEdocAsync($$"""{"docId":"{{deliveryId}}"}""");

        Assert.Equal(("FAIL", "Forbidden", "docId", null), (fetched.Status, fetched.ErrorCode, Field(fetched), fetched.Data));
        Assert.Equal(("FAIL", "Forbidden", "docId"), (updated.Status, updated.ErrorCode, Field(updated)));
        Assert.Equal(("FAIL", 404), (downloaded.Status, downloaded.HttpStatus));
        Assert.Equal("pending", await hub.ScalarAsync("SELECT state FROM lgsp.delivery"));
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

    [Theory]
    [InlineData("-1")]
    [InlineData("12ab")]
    [InlineData("99999999999999999999999")]
    public async Task getCountersignatures_refuses_an_afterSeq_that_is_not_a_whole_number(string afterSeq)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var caller = hub.Sdk(Commune);

        var refused = await caller.CallAsync(HttpMethod.Post, "getCountersignatures", $$"""{"afterSeq":"{{afterSeq}}"}""", [], "application/json");

        Assert.Equal(("FAIL", "InvalidRequest", "afterSeq"), (refused.Status, refused.ErrorCode, Field(refused)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"lgsp-body-sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}""")]
    public async Task reportOutcomes_refuses_a_body_that_is_not_the_one_its_signed_hash_names(string parameters)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var caller = hub.Sdk(Commune);

        // The body is not under the MAC: without its signed SHA-256 (here none, or the empty body's) it is not read.
        var refused = await caller.CallAsync(HttpMethod.Post, "reportOutcomes", parameters,
            Encoding.UTF8.GetBytes("""{"outcomes":[{"docId":"1","outcome":"confirmed"}]}"""));

        Assert.Equal(("FAIL", "InvalidRequest", "lgsp-body-sha256"), (refused.Status, refused.ErrorCode, Field(refused)));
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

    [Fact]
    public async Task A_malformed_previous_receipt_hash_is_refused_naming_lgsp_prev_receipt()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);

        var bad = await sender.SendEdocAsync(Send(Commune, extra: """
            "lgsp-hops":"lgsp-central","lgsp-prev-receipt":"not-a-hash"
            """), hub.SignedDocument(Commune, [Finance]));

        Assert.Equal(("FAIL", "InvalidRequest", "lgsp-prev-receipt"), (bad.Status, bad.ErrorCode, Field(bad)));
    }

    [Fact]
    public async Task Hop_metadata_from_an_agency_system_is_refused_and_nothing_is_stored()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        using var another = hub.Sdk(Commune); // the SDK's headers stick from one call to the next

        var hops = await sender.SendEdocAsync(Send(Commune, extra: """
            "lgsp-hops":"lgsp-central"
            """), hub.SignedDocument(Commune, [Finance]));
        var receipt = await another.SendEdocAsync(Send(Commune, extra: $$"""
            "lgsp-prev-receipt":"{{new string('a', 64)}}"
            """), hub.SignedDocument(Commune, [Finance]));

        Assert.Equal(("FAIL", "InvalidRequest", "lgsp-hops"), (hops.Status, hops.ErrorCode, Field(hops)));
        Assert.Equal(("FAIL", "InvalidRequest", "lgsp-prev-receipt"), (receipt.Status, receipt.ErrorCode, Field(receipt)));
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    internal static string? Field(Sdk.VxpResult result) => result.Json?["ErrorField"]?.GetValue<string>();

    private static string Version(Sdk.VxpResult sync, string code) => sync.Items!.Single(a => a["code"] == code)["version"];

    internal static string DocumentIdOf(byte[] package)
    {
        using var model = (Edxml.Model.DocumentPackage)Edxml.Reading.PackageReader.Read(package);
        return model.DocumentId!;
    }
}
