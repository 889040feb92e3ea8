using System.Text;
using Lgsp.Server.Tests.Support;
using static Lgsp.Server.Tests.Inbound.Axis.AxisHub;

namespace Lgsp.Server.Tests.Inbound.Axis;

// Who may call: the signature scheme's headers, secret and clock, and a system acting only for its own
// agencies and deliveries.
public sealed partial class AxisEndpointTests
{
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
}
