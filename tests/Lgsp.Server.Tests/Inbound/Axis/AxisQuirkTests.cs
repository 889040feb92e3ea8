using System.Net.Sockets;
using System.Text;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Inbound.Axis.AxisEndpointTests;
using static Lgsp.Server.Tests.Inbound.Axis.AxisHub;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>Every testable quirk of VXP.md §7 (Q1–Q18), one test each, named after the behaviour.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AxisQuirkTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Q1_parameters_left_over_from_earlier_calls_of_one_SDK_instance_are_ignored()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        await sender.SendEdocAsync(Send(Commune), hub.SignedDocument(Commune, [Finance]));
        await sender.SendEdocAsync(Send(Commune), hub.SignedDocument(Commune, [Finance]));
        using var receiver = hub.Sdk(Finance);

        var ids = (await receiver.GetReceivedEdocListAsync(EdocList)).Items!.Select(i => i["docId"]).ToList();
        foreach (var id in ids)
        {
            Assert.Equal("OK", (await receiver.GetEdocAsync($$"""{"filePath":"xml","docId":"{{id}}"}""")).Status);
            Assert.Equal("OK", (await receiver.UpdateStatusAsync($$"""{"status":"done","docId":"{{id}}"}""")).Status);
        }

        // The instance now also sends filePath, status=done and the last docId with every call.
        Assert.Contains(receiver.LastHeaders, h => h.Key == "XroadVnpt-filePath");
        Assert.Equal(2, ids.Count);
        Assert.Empty((await receiver.GetReceivedEdocListAsync(EdocList)).Items!);
        Assert.Equal(0, (await receiver.CountReceiveEdocAsync(EdocList)).Count);
        Assert.Equal(2L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.delivery WHERE state = 'acknowledged'"));
    }

    [Fact]
    public async Task Q2_the_raw_body_minus_its_trailing_CRLF_is_the_stored_file_and_a_multipart_file_part_is_accepted_too()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        var raw = hub.SignedDocument(Commune, [Finance]);
        var multipart = hub.SignedDocument(Commune, [Finance]);

        var first = await sender.SendEdocAsync(Send(Commune), raw);
        var second = await sender.SendEdocMultipartAsync(Send(Commune), multipart);

        Assert.Equal(("OK", "OK"), (first.Status, second.Status));
        Assert.Equal(raw, await hub.ScalarAsync($"SELECT body FROM lgsp.package WHERE id = {first.DocId}"));
        Assert.Equal(multipart, await hub.ScalarAsync($"SELECT body FROM lgsp.package WHERE id = {second.DocId}"));
    }

    [Fact]
    public async Task Q3_docid_in_lower_case_names_the_delivery_as_docId_does()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        await sender.SendEdocAsync(Send(Commune), hub.SignedDocument(Commune, [Finance]));
        var id = (await hub.ScalarAsync("SELECT id FROM lgsp.delivery"))!.ToString();
        using var receiver = hub.Sdk(Finance);

        var answer = await receiver.UpdateStatusAsync($$"""{"status":"done","docid":{{id}}}""");

        Assert.Equal("OK", answer.Status);
        Assert.Contains(receiver.LastHeaders, h => h.Key == "XroadVnpt-docid");
        Assert.Equal("acknowledged", await hub.ScalarAsync("SELECT state FROM lgsp.delivery"));
    }

    [Fact]
    public async Task Q4_a_timestamp_in_any_format_is_only_logged_never_refused()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune, constructedAt: new DateTime(2031, 1, 2, 3, 4, 5, 6));

        var answer = await client.GetAgenciesListAsync();

        Assert.Equal("OK", answer.Status);
        Assert.Equal("02012031T030405+0006", client.LastHeaders.Single(h => h.Key == "XroadVnpt-timestamp").Value);
    }

    [Fact]
    public async Task Q5_a_padded_hash_file_matches_too_and_a_wrong_one_is_refused_as_HashFileMismatch()
    {
        // The SDK's unpadded form (62 chars for the SDK sample) is proven by the Q17 test.
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        var package = hub.SignedDocument(Commune, [Finance]);
        var padded = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(package));
        var wrongHash = padded[..^1] + (padded[^1] == '0' ? '1' : '0');

        var wrong = await sender.CallAsync(HttpMethod.Post, "sendEdoc", Send(Commune, extra: $"\"hash-file\":\"{wrongHash}\""), [.. package, 13, 10], "application/octet-stream");
        var right = await sender.CallAsync(HttpMethod.Post, "sendEdoc", Send(Commune, extra: $"\"hash-file\":\"{padded.ToUpperInvariant()}\""), [.. package, 13, 10], "application/octet-stream");

        Assert.Equal(("FAIL", "HashFileMismatch", "hash-file", ""), (wrong.Status, wrong.ErrorCode, Field(wrong), wrong.Json!["DocId"]!.GetValue<string>()));
        Assert.Equal("OK", right.Status);
        Assert.Equal(package, await hub.ScalarAsync("SELECT body FROM lgsp.package"));
    }

    [Fact]
    public async Task Q6_a_byte_identical_sendEdoc_resend_answers_the_original_DocId_without_storing_again()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        var package = hub.SignedDocument(Commune, [Finance]);

        var first = await sender.SendEdocAsync(Send(Commune), package);
        var firstMac = sender.LastHeaders.Single(h => h.Key == "XroadVnpt-hash-header").Value;
        var resend = await sender.SendEdocAsync(Send(Commune), package);

        Assert.Equal(firstMac, sender.LastHeaders.Single(h => h.Key == "XroadVnpt-hash-header").Value);
        Assert.Equal(("OK", first.DocId), (resend.Status, resend.DocId));
        Assert.Equal(first.Json!["Receipt"]!.GetValue<string>(), resend.Json!["Receipt"]!.GetValue<string>());
        Assert.Equal(1L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
        Assert.Equal(1L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.axis_send"));
        Assert.Equal(1L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.received'"));
    }

    [Fact]
    public async Task Q7_every_answer_is_ASCII_with_Vietnamese_escaped()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var list = await client.GetAgenciesListAsync();
        var sent = await client.SendEdocAsync(Send(Commune), hub.SignedDocument(Commune, [Finance]));

        Assert.All(list.Body.Concat(sent.Body), b => Assert.True(b < 0x80));
        Assert.Contains("\\u", Encoding.ASCII.GetString(list.Body), StringComparison.Ordinal);
        Assert.Contains(list.Items!, a => a["name"] == "UBND xã Nga Sơn");
        Assert.Equal("application/json; charset=utf-8", sent.Response!.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Q8_an_unknown_operation_gets_a_JSON_FAIL_envelope_never_an_HTML_page()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var answer = await client.CallAsync(HttpMethod.Post, "getEverything", "{}", null);

        Assert.Equal((200, "FAIL", "UnknownOperation", "path"), (answer.HttpStatus, answer.Status, answer.ErrorCode, Field(answer)));
        Assert.Equal("application/json; charset=utf-8", answer.Response!.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Q9_a_downloadEdoc_error_has_an_empty_body_so_the_SDK_reports_failure()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Finance);

        var unknown = await client.DownloadEdocAsync("""{"filePath":"xml","docId":"424242"}""");
        using var stranger = new Sdk.VxpClient(hub.AxisUri.ToString(), "no-such-system", "x");
        var unauthenticated = await stranger.DownloadEdocAsync("""{"docId":"1"}""");

        Assert.Equal(("FAIL", "100", 0, 404), (unknown.Status, unknown.ErrorCode, unknown.File.Length, unknown.HttpStatus));
        Assert.Equal(("FAIL", 0, 401), (unauthenticated.Status, unauthenticated.File.Length, unauthenticated.HttpStatus));
    }

    [Fact]
    public async Task Q10_list_items_never_carry_null_so_the_SDK_keeps_the_whole_list()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        var package = hub.SignedDocument(Commune, [Finance]);
        await sender.SendEdocAsync(Send(Commune), package);
        using var receiver = hub.Sdk(Finance);
        var status = TestSupport.Packages.TestPackages.Sign(
            TestSupport.Packages.TestPackages.Status(Finance, Commune, DocumentIdOf(package), Edxml.Model.StatusCode.Arrived), hub.System(Finance).CertPem, hub.System(Finance).KeyPem);
        await receiver.SendEdocAsync(Send(Finance, "status"), status);

        var sentStatuses = await receiver.GetSentEdocListAsync(StatusList);
        var sync = await receiver.GetSynchronizeUnitAsync();

        var row = Assert.Single(sentStatuses.Items!);
        Assert.False(row.ContainsKey("title"));
        Assert.NotNull(sync.Items);
        Assert.DoesNotContain("null", Encoding.ASCII.GetString(sentStatuses.Body), StringComparison.Ordinal);
        Assert.DoesNotContain("null", Encoding.ASCII.GetString(sync.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Q12_a_request_that_expects_100_continue_gets_it_before_sending_its_body()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);
        await client.CountReceiveEdocAsync(EdocList);
        var headers = client.LastHeaders.Where(h => h.Key.StartsWith("XroadVnpt-", StringComparison.Ordinal)).Select(h => $"{h.Key}: {h.Value}\r\n");

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(hub.BaseUri.Host, hub.BaseUri.Port);
        var stream = tcp.GetStream();
        var head = $"POST /vxp/countReceiveEdoc HTTP/1.1\r\nHost: {hub.BaseUri.Authority}\r\nContent-Type: application/json\r\n{string.Concat(headers)}Content-Length: 2\r\nExpect: 100-continue\r\n\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head));
        var interim = await ReadUntilAsync(stream, "\r\n\r\n");
        await stream.WriteAsync("{}"u8.ToArray());
        var final = await ReadUntilAsync(stream, "}");

        Assert.StartsWith("HTTP/1.1 100 Continue", interim, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", final, StringComparison.Ordinal);
        Assert.Contains("\"count\":0", final, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml; charset=iso-8859-1")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Q13_any_content_type_is_accepted_never_415(string contentType)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var answer = await client.CallAsync(HttpMethod.Post, "countReceiveEdoc", EdocList, "{}"u8.ToArray(), contentType);

        Assert.Equal((200, "OK"), (answer.HttpStatus, answer.Status));
    }

    [Fact]
    public async Task Q14_every_operation_answers_GET_and_POST_alike()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var get = await client.CallAsync(HttpMethod.Get, "getAgenciesList", "{}", null);
        var post = await client.CallAsync(HttpMethod.Post, "getAgenciesList", "{}", []);
        var count = await client.CallAsync(HttpMethod.Get, "countReceiveEdoc", EdocList, null);

        Assert.Equal(("OK", "OK", "OK"), (get.Status, post.Status, count.Status));
        Assert.Equal(post.Items!.Count, get.Items!.Count);
    }

    [Fact]
    public async Task Q15_a_client_filePath_is_not_written_to_the_log()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Finance);

        var answer = await client.GetEdocAsync("""{"filePath":"/home/van-thu/hop-thu-rieng","docId":"987654"}""");

        Assert.Equal(("FAIL", "NotFound"), (answer.Status, answer.ErrorCode));
        var logs = Directory.GetFiles(Path.Combine(hub.DataDirectory, "logs")).Select(ReadShared).ToList();
        Assert.Contains(logs, l => l.Contains("987654", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("hop-thu-rieng", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Q16_a_Vietnamese_parameter_verifies_as_UTF_8_and_is_a_plain_401_when_sent_as_low_bytes()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var utf8 = hub.Sdk(Commune);
        using var lowBytes = hub.Sdk(Commune, headerEncoding: Encoding.Latin1);
        const string json = """{"servicetype":"eDoc","messagetype":"edoc","description":"Văn thư xã Nga Sơn"}""";

        var verified = await utf8.GetReceivedEdocListAsync(json);
        var refused = await lowBytes.GetReceivedEdocListAsync(json);

        Assert.Equal("OK", verified.Status);
        Assert.Equal((401, "SignatureInvalid"), (refused.HttpStatus, refused.ErrorCode));
    }

    [Fact]
    public async Task Q17_junk_bytes_before_the_XML_from_a_legacy_system_are_stored_and_forwarded_byte_for_byte()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        await hub.ScalarAsync($"UPDATE lgsp.client_system SET policy = 'legacy' WHERE id = '{hub.System(Commune).Id}'");
        using var sender = hub.Sdk(Commune);
        using var receiver = hub.Sdk(Finance);
        var package = (byte[])[.. "1212"u8, .. TestSupport.Packages.TestPackages.Document(Commune, [Finance])];

        var sent = await sender.SendEdocAsync(Send(Commune), package);

        Assert.Equal(("OK", "0"), (sent.Status, sent.ErrorCode));
        Assert.Equal((true, "unsigned"), ((bool)(await hub.ScalarAsync("SELECT legacy FROM lgsp.package"))!, await hub.ScalarAsync("SELECT signature FROM lgsp.package")));
        var item = Assert.Single((await receiver.GetReceivedEdocListAsync(EdocList)).Items!);
        var fetched = await receiver.GetEdocAsync($$"""{"filePath":"xml","docId":"{{item["docId"]}}"}""");
        Assert.Equal(package, Encoding.UTF8.GetBytes(fetched.Data!));
        Assert.StartsWith("1212<?xml", fetched.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Q17_the_SDK_sample_from_a_legacy_system_gets_past_its_junk_bytes_and_is_refused_because_no_directory_holds_its_recipient_code()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        await hub.ScalarAsync($"UPDATE lgsp.client_system SET policy = 'legacy' WHERE id = '{hub.System(Commune).Id}'");
        using var sender = hub.Sdk(Commune);
        await hub.GrantAsync(Commune, "002.00.20.H13", "Sender of the SDK sample");

        var sent = await sender.SendEdocAsync(Send("002.00.20.H13", extra: """
            "to":["28.22.H17"]
            """), Repository.SdkSample("edoc_new.edxml"));

        // The SDK's 62-char unpadded hash-file matched the file (else HashFileMismatch).
        Assert.Equal("c0c5ffcc55803e20eea4c85933d2972dd7f425dca35ee2be3f1aa97394eca5", sender.LastHeaders.Single(h => h.Key == "XroadVnpt-hash-file").Value);
        // Legacy tolerates the three-group code as a warning; the hub refuses it because its directory
        // does not hold it (docs/edxml.md, "Packages found in the wild").
        Assert.Equal(("FAIL", "UnknownNonStandardCode", ""), (sent.Status, sent.ErrorCode, sent.DocId));
        Assert.Matches(@"/To(\[1\])?/OrganId$", Field(sent));
        Assert.Contains("28.22.H17", sent.ErrorDesc, StringComparison.Ordinal);
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task Q17_the_same_sample_from_a_strict_system_is_refused_naming_the_junk_bytes()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        await hub.GrantAsync(Commune, "002.00.20.H13", "Sender of the SDK sample");

        var sent = await sender.SendEdocAsync(Send("002.00.20.H13"), Repository.SdkSample("edoc_new.edxml"));

        Assert.Equal(("FAIL", "LeadingJunk", ""), (sent.Status, sent.ErrorCode, sent.DocId));
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task Q18_a_replayed_unsigned_registerAgency_body_changes_nothing_the_second_time()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);
        const string body = """{"code":"000.01.61.H56","name":"Thôn Đông","pcode":"000.00.61.H56"}""";

        await client.RegisterAgencyAsync("{}", body);
        var replay = await client.RegisterAgencyAsync("{}", body);

        Assert.Equal("OK", replay.Status);
        Assert.Equal(1L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.agency_registration WHERE code = '000.01.61.H56'"));
        Assert.Equal(1L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'directory.changed' AND detail->>'code' = '000.01.61.H56'"));
    }

    [Fact]
    public async Task An_endpoint_configured_with_a_trailing_slash_sends_a_doubled_slash_and_still_reaches_the_operation()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = new Sdk.VxpClient($"{hub.BaseUri}vxp/", hub.System(Commune).Id, hub.System(Commune).Secret);

        var answer = await client.GetAgenciesListAsync();

        Assert.Equal("OK", answer.Status);
        Assert.EndsWith("/vxp//getAgenciesList", answer.Response!.RequestMessage!.RequestUri!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_base_path_is_configurable()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:Axis:BasePath"] = "/axis/v2" });
        using var moved = new Sdk.VxpClient(new Uri(hub.BaseUri, "/axis/v2").ToString(), hub.System(Commune).Id, hub.System(Commune).Secret);
        using var old = hub.Sdk(Commune);

        Assert.Equal("OK", (await moved.GetAgenciesListAsync()).Status);
        Assert.Equal(404, (await old.GetAgenciesListAsync()).HttpStatus);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task<string> ReadUntilAsync(NetworkStream stream, string end)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!text.ToString().Contains(end, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
