using System.CommandLine;
using Lgsp.Cli;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Jobs;

/// <summary><c>lgsp replay</c> changes only the database; the running hub's reconciler starts the
/// replayed push on its next run, without waiting for the reconciler's grace.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CommandLineReplayTests(PostgresFixture postgres)
{
    private const string Commune = PushingHub.Commune;
    private const string Pushed = PushingHub.Pushed;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AFailedPushReplayedFromTheCommandLineIsDeliveredByTheRunningHub()
    {
        await using var pushing = await PushingHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Delivery:MaxAttempts"] = "2",
            ["Hub:Delivery:ReconcileCron"] = "*/2 * * * * *",

            // The default grace (one minute) stays: a replayed push must not wait for it.
        });
        var (hub, peer) = (pushing.Hub, pushing.Peer);
        peer.AnswerNext(503, 503);
        await using var client = hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = hub.SignedDocument(Commune, [Pushed]) });
        await RunningHub.WaitForDeliveryAsync(client, sent.DocumentId, Pushed, "failed", Patience);

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = LgspCommand.Run(["replay", "--failed", "--error", "http-503", "--reason", "peer restored", "--actor", "operator:lan", "--database", hub.ConnectionString],
            new InvocationConfiguration { Output = output, Error = error });

        Assert.True(exit == 0, $"exit {exit}: {error}{output}");
        Assert.Contains("replayed 1, skipped 0", output.ToString(), StringComparison.Ordinal);
        var delivered = await RunningHub.WaitForDeliveryAsync(client, sent.DocumentId, Pushed, "delivered", Patience);
        Assert.Equal(3, delivered.Attempts);
        Assert.Equal([503, 503, 200], peer.Received.Select(r => r.Answered));
        Assert.Equal("operator:lan", await hub.ScalarAsync("SELECT actor FROM lgsp.ledger WHERE kind = 'delivery.replayed'"));
    }
}
