using System.Net;
using System.Text.Json;
using Lgsp.Exchange.Ledger;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Admin;

/// <summary>The administrator's trace API: behind the login, the whole story of any document as JSON.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TraceEndpointsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private RunningHub _hub = null!;

    public async Task InitializeAsync() => _hub = await RunningHub.StartAsync(postgres);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task The_trace_api_answers_401_without_the_administrators_login_and_to_a_client_systems_login()
    {
        var documentId = await _hub.SendDocumentAsync("000.00.61.H56", "000.00.02.H56");
        var path = Path(documentId);
        var system = _hub.System("000.00.61.H56");

        var anonymous = await _hub.Http.GetAsync(path);
        var asSystem = await _hub.GetAsAsync(path, system.Id, system.Secret);
        var wrongPassword = await _hub.GetAsAsync(path, "admin", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, asSystem.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
    }

    [Fact]
    public async Task The_administrator_gets_the_documents_events_in_order_with_recipients_and_the_next_hubs_receipt()
    {
        var documentId = await _hub.SendDocumentAsync("000.00.61.H56", "000.00.02.H56");
        var peerReceipt = HopRecords.PeerReceipt("000.00.61.H56", documentId);
        await HopRecords.RecordAsync(_hub.ConnectionString, documentId, peerReceipt, new string('b', 64));

        var response = await _hub.GetAsAsync(Path(documentId), "admin", "admin-test-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(documentId, root.GetProperty("documentId").GetString());
        var events = root.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(events.Select(e => e.GetProperty("seq").GetInt64()).Order(), events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(LedgerKind.PackageReceived, events[0].GetProperty("kind").GetString());
        Assert.Equal("000.00.02.H56", events[1].GetProperty("recipient").GetString());
        var forward = events.Single(e => e.GetProperty("kind").GetString() == LedgerKind.AttemptSucceeded);
        var peer = forward.GetProperty("peerReceipt");
        Assert.Equal("hub-national", peer.GetProperty("hub").GetString());
        Assert.Equal(peerReceipt, Convert.FromBase64String(peer.GetProperty("xml").GetString()!));
        Assert.Contains("peer receipt: hub hub-national took it at 2026-01-15 08:00:03Z", forward.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(new string('b', 64), events.Single(e => e.GetProperty("previousReceiptSha256").ValueKind == JsonValueKind.String).GetProperty("previousReceiptSha256").GetString());
    }

    [Fact]
    public async Task An_unknown_document_is_404_for_the_administrator()
    {
        var response = await _hub.GetAsAsync(Path("000.00.61.H56,2026/01/01,0/NONE"), "admin", "admin-test-password");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
    private static string Path(string documentId) => $"/admin/api/documents/{Uri.EscapeDataString(documentId)}/trace";
}
