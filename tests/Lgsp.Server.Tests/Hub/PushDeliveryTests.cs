using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Peers;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Hub;

/// <summary>Recipients with a push endpoint get the exact bytes from a Hangfire job, with backoff,
/// dead letter, and the reconciler for deliveries left without a job.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PushDeliveryTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Commune = PushingHub.Commune;
    private const string Pushed = PushingHub.Pushed;
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
    public async Task APushRecipientGetsTheExactBytesWithTheDeliveryHeaders()
    {
        var package = _hub.SignedDocument(Commune, [Pushed, "000.00.02.H56"]);
        await using var client = _hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = package });

        var push = (await _peer.WaitForAsync(r => r.Count >= 1, Patience)).Single();
        Assert.Equal(package, push.Body);
        Assert.Equal("edoc", push.Headers["X-Lgsp-Kind"]);
        Assert.Equal(sent.Sha256, push.Headers["X-Lgsp-Sha256"]);
        Assert.Equal(Pushed, push.Headers["X-Lgsp-Recipient"]);

        var delivery = await WaitForStateAsync(client, sent.DocumentId, "delivered");
        Assert.Equal(1, delivery.Attempts);
        Assert.NotNull(delivery.DeliveredAt);

        // The pulling recipient is unaffected: its copy waits in its pending list.
        Assert.Single((await _hub.Client("000.00.02.H56").GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items);
        Assert.Empty((await _hub.Client(Pushed).GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items ?? []);
    }

    [Fact]
    public async Task TransientFailuresAreRetriedWithBackoffUntilThePeerTakesIt()
    {
        _peer.AnswerNext(503, 503);
        await using var client = _hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Pushed]) });

        var received = await _peer.WaitForAsync(r => r.Any(p => p.Answered == 200), Patience);
        Assert.Equal([503, 503, 200], received.Select(r => r.Answered));
        var delivery = await WaitForStateAsync(client, sent.DocumentId, "delivered");
        Assert.Equal(3, delivery.Attempts);

        // Backoff: 1 s after the first failure, 2 s after the second (the hub's FirstDelay is 1 s in tests).
        var attempts = await AttemptTimesAsync();
        Assert.True(attempts[1] - attempts[0] >= TimeSpan.FromSeconds(0.9), $"second attempt after {attempts[1] - attempts[0]}");
        Assert.True(attempts[2] - attempts[1] >= TimeSpan.FromSeconds(1.9), $"third attempt after {attempts[2] - attempts[1]}");
        Assert.Equal(2L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'attempt.failed'"));
    }

    [Fact]
    public async Task APermanentRefusalFailsTheDeliveryAtOnce()
    {
        _peer.AnswerNext(400);
        await using var client = _hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Pushed]) });

        var delivery = await WaitForStateAsync(client, sent.DocumentId, "failed");
        Assert.Equal(1, delivery.Attempts);
        Assert.Contains("HTTP 400", delivery.LastError, StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Single(_peer.Received);
    }

    [Fact]
    public async Task ExhaustingTheAttemptsLeavesTheDeliveryFailedWithTheLastError()
    {
        _peer.AnswerNext(503, 503, 503, 503);
        await using var client = _hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Pushed]) });

        var delivery = await WaitForStateAsync(client, sent.DocumentId, "failed");
        Assert.Equal(3, delivery.Attempts);
        Assert.Contains("gave up after 3 attempts", delivery.LastError, StringComparison.Ordinal);
        Assert.Equal(1L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.failed'"));
    }

    [Fact]
    public async Task GetDeliveriesShowsARetryingPushsNextAttemptAndTheCodeOfItsLastError()
    {
        // A pull delivery turned into a push that is retrying much later: no job and no reconciler touches it meanwhile.
        await using var client = _hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, ["000.00.02.H56"]) });
        await _hub.ScalarAsync($"""
            UPDATE lgsp.delivery SET mode = 'push', recipient = '{Pushed}', state = 'retrying', attempts = 1,
                last_error = 'HTTP 503 Service Unavailable', last_error_code = 'http-503', next_attempt_at = '2030-01-02T03:04:05Z'
            """);

        var delivery = await WaitForStateAsync(client, sent.DocumentId, "retrying");

        Assert.Equal("http-503", delivery.LastErrorCode);
        Assert.Equal(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc), delivery.NextAttemptAt!.Value.ToUniversalTime());
        Assert.Empty(_peer.Received);
    }

    [Fact]
    public async Task TheReconcilerPushesADeliveryThatLostItsJob()
    {
        // A commit whose enqueue never happened (a crash in between): a push delivery, overdue, with no job.
        await using var client = _hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, ["000.00.02.H56"]) });
        await _hub.ScalarAsync($"""
            UPDATE lgsp.delivery SET mode = 'push', recipient = '{Pushed}', next_attempt_at = now() - interval '5 minutes'
            """);

        var enqueued = await _hub.Services.GetRequiredService<PushDeliveries>().ReconcileAsync();

        Assert.Equal(1, enqueued);
        await _peer.WaitForAsync(r => r.Count == 1, Patience);
        await WaitForStateAsync(client, sent.DocumentId, "delivered");
    }

    private Task<Inbound.Soap.Delivery> WaitForStateAsync(EdocClient client, string documentId, string state) =>
        RunningHub.WaitForDeliveryAsync(client, documentId, Pushed, state, Patience);

    private async Task<IReadOnlyList<DateTimeOffset>> AttemptTimesAsync()
    {
        var text = (string)(await _hub.ScalarAsync("SELECT string_agg(to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), ',' ORDER BY number) FROM lgsp.delivery_attempt"))!;
        return [.. text.Split(',').Select(t => new DateTimeOffset(DateTime.Parse(t, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero))];
    }
}
