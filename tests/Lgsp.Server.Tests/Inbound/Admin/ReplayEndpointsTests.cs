using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Peers;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Admin;

/// <summary>The administrators' delivery API on a real hub: a push delivery runs out of attempts against a
/// peer that answers 503, the peer is fixed, and an administrator replays it over HTTP.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplayEndpointsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Commune = PushingHub.Commune;
    private const string Pushed = PushingHub.Pushed;
    private const string AdminPassword = "admin-test-password";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private PushingHub _pushing = null!;
    private RunningHub _hub = null!;
    private FakePushPeer _peer = null!;

    public async Task InitializeAsync()
    {
        _pushing = await PushingHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:Delivery:MaxAttempts"] = "3" });
        (_hub, _peer) = (_pushing.Hub, _pushing.Peer);
    }

    public Task DisposeAsync() => _pushing.DisposeAsync().AsTask();

    [Fact]
    public async Task AFailedPushReplayedByTheAdministratorIsDeliveredWithANewAttemptAndALedgerEntryNamingThemAndTheirReason()
    {
        await using var client = _hub.Client(Commune);
        var (documentId, id) = await FailedPushAsync(client);
        var failed = await WaitForStateAsync(client, documentId, "failed");
        Assert.Contains("gave up after 3 attempts", failed.LastError, StringComparison.Ordinal);
        Assert.Equal("http-503", failed.LastErrorCode);

        // The peer is fixed (it answers 200 once its queue of 503s is used up).
        using var response = await AdminPostAsync($"/admin/api/deliveries/{id}/replay", new { reason = "peer restored after maintenance" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, answer.RootElement.GetProperty("replayed").GetInt32());
        Assert.Equal("replayed", answer.RootElement.GetProperty("items")[0].GetProperty("outcome").GetString());
        var delivered = await WaitForStateAsync(client, documentId, "delivered");
        Assert.Equal(4, delivered.Attempts);
        Assert.Equal([503, 503, 503, 200], _peer.Received.Select(r => r.Answered));
        Assert.Equal(4L, await _hub.ScalarAsync($"SELECT count(*) FROM lgsp.delivery_attempt WHERE delivery_id = {id}"));
        Assert.Equal("delivered", await _hub.ScalarAsync($"SELECT outcome FROM lgsp.delivery_attempt WHERE delivery_id = {id} AND number = 4"));
        Assert.Equal("admin|peer restored after maintenance", await _hub.ScalarAsync(
            $"SELECT actor || '|' || (detail->>'reason') FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = {id}"));
    }

    [Fact]
    public async Task ReplayingADeliveredDeliveryDoesNothingAndSaysSo()
    {
        await using var client = _hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Pushed]) });
        await WaitForStateAsync(client, sent.DocumentId, "delivered");
        var id = (long)(await _hub.ScalarAsync($"SELECT id FROM lgsp.delivery WHERE recipient = '{Pushed}'"))!;

        using var response = await AdminPostAsync($"/admin/api/deliveries/{id}/replay", new { reason = "just in case" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, answer.RootElement.GetProperty("replayed").GetInt32());
        Assert.Equal($"delivery {id} is already delivered; nothing to replay", answer.RootElement.GetProperty("items")[0].GetProperty("message").GetString());
        Assert.Equal(0L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed'"));
        Assert.Single(_peer.Received);
    }

    [Fact]
    public async Task TheListingShowsFailedDeliveriesWithTheirErrorCodeAttemptsAndLastErrorAndABulkDryRunChangesNothing()
    {
        await using var client = _hub.Client(Commune);
        var (documentId, id) = await FailedPushAsync(client);
        await WaitForStateAsync(client, documentId, "failed");

        using var list = JsonDocument.Parse(await AdminGetAsync("/admin/api/deliveries?state=failed&error=http-503"));
        using var none = JsonDocument.Parse(await AdminGetAsync("/admin/api/deliveries?state=failed&error=timeout"));
        using var dryRun = await AdminPostAsync("/admin/api/deliveries/replay", new { recipient = Pushed, error = "http-503", dryRun = true, reason = "what would go" });

        var delivery = Assert.Single(list.RootElement.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(id, delivery.GetProperty("id").GetInt64());
        Assert.Equal("failed", delivery.GetProperty("state").GetString());
        Assert.Equal("http-503", delivery.GetProperty("lastErrorCode").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Contains("HTTP 503", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(none.RootElement.GetProperty("deliveries").EnumerateArray());

        using var preview = JsonDocument.Parse(await dryRun.Content.ReadAsStringAsync());
        Assert.True(preview.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(id, Assert.Single(preview.RootElement.GetProperty("items").EnumerateArray()).GetProperty("deliveryId").GetInt64());
        Assert.Equal("failed", await _hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE id = {id}"));
        Assert.Equal(0L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed'"));
    }

    [Fact]
    public async Task WithoutTheAdministratorsLoginTheApiAnswers401AndChangesNothing()
    {
        await using var client = _hub.Client(Commune);
        var (documentId, id) = await FailedPushAsync(client);
        await WaitForStateAsync(client, documentId, "failed");

        using var anonymous = await _hub.Http.PostAsJsonAsync($"/admin/api/deliveries/{id}/replay", new { reason = "x" });
        using var wrong = await SendAsync(HttpMethod.Post, $"/admin/api/deliveries/{id}/replay", new { reason = "x" }, "admin", "guess");
        using var list = await _hub.Http.GetAsync("/admin/api/deliveries");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal("failed", await _hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE id = {id}"));
    }

    [Fact]
    public async Task AMissingReasonIs400AndAnUnknownDeliveryIs404EachWithOnePreciseError()
    {
        using var blank = await AdminPostAsync("/admin/api/deliveries/1/replay", new { reason = "  " });
        using var bulk = await AdminPostAsync("/admin/api/deliveries/replay", new { dryRun = true });
        using var unknown = await AdminPostAsync("/admin/api/deliveries/424242/replay", new { reason = "x" });
        using var badState = await SendAsync(HttpMethod.Get, "/admin/api/deliveries?state=lost", null, "admin", AdminPassword);

        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        using var error = JsonDocument.Parse(await blank.Content.ReadAsStringAsync());
        Assert.Equal("InvalidRequest", error.RootElement.GetProperty("code").GetString());
        Assert.Equal("reason", error.RootElement.GetProperty("field").GetString());
        Assert.Contains("reason", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Yêu cầu không hợp lệ", error.RootElement.GetProperty("messageVi").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var notFound = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.Equal("NotFound", notFound.RootElement.GetProperty("code").GetString());
        Assert.Equal("id", notFound.RootElement.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Equal(0L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed'"));
    }

    [Fact]
    public async Task ABodyThatIsNotApplicationJsonIs415WithOnePreciseErrorAndChangesNothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/deliveries/replay")
        {
            Content = new StringContent("""{"reason":"forged","dryRun":false}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));

        using var response = await _hub.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("InvalidRequest", error.RootElement.GetProperty("code").GetString());
        Assert.Equal("Content-Type", error.RootElement.GetProperty("field").GetString());
        Assert.Contains("application/json", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Yêu cầu không hợp lệ", error.RootElement.GetProperty("messageVi").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed'"));
    }

    /// <summary>A document whose push delivery will run out of attempts (three 503s).</summary>
    private async Task<(string DocumentId, long DeliveryId)> FailedPushAsync(EdocClient client)
    {
        _peer.AnswerNext(503, 503, 503);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Pushed]) });
        var id = (long)(await _hub.ScalarAsync($"SELECT id FROM lgsp.delivery WHERE recipient = '{Pushed}'"))!;
        return (sent.DocumentId, id);
    }

    private Task<HttpResponseMessage> AdminPostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body, "admin", AdminPassword);

    private async Task<string> AdminGetAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, "admin", AdminPassword);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string user, string password) =>
        _hub.SendAsAsync(method, path, body, user, password);

    private Task<Soap.Delivery> WaitForStateAsync(EdocClient client, string documentId, string state) =>
        RunningHub.WaitForDeliveryAsync(client, documentId, Pushed, state, Patience);
}
