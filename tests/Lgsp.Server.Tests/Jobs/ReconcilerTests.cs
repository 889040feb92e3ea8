using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Peers;
using Lgsp.TestSupport.Postgres;
using Agency = Lgsp.Exchange.Directory.Agency;

namespace Lgsp.Server.Tests.Jobs;

/// <summary>The reconciler behind a parent too slow to answer: forwards wait in the job queue longer
/// than the reconciler's grace, and none of them is given a second job; a delivery that lost its job
/// gets exactly one.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReconcilerTests(PostgresFixture postgres)
{
    private const string Commune = PushingHub.Commune;
    private const string Parent = "root";
    private const string BeyondTheParent = "000.00.00.G01";
    private const int Forwards = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ForwardsQueuedBehindASlowParentLongerThanTheGraceAreNeverEnqueuedTwiceAndALostJobIsReplacedOnce()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            // One worker, held by the first forward for as long as the parent is silent: the others wait
            // in the queue, overdue after a second.
            ["Hub:Delivery:Workers"] = "1",
            ["Hub:Delivery:ReconcileGrace"] = "00:00:01",
            ["Hub:Parent:RequestTimeout"] = "00:02:00",
        });
        // Disposed before the hub: the forward it holds then fails at once instead of at its timeout.
        await using var parent = new SilentPeer();
        await ConnectAsync(hub, parent);
        await using var client = hub.Client(Commune);
        for (var i = 0; i < Forwards; i++)
        {
            await client.SendDocumentAsync(new SendDocumentRequest { Package = hub.SignedDocument(Commune, [BeyondTheParent]) });
        }

        await WaitForAsync(async () => parent.Connections > 0 && (long)(await hub.ScalarAsync("SELECT count(*) FROM lgsp.delivery WHERE lease_until > now()"))! == 1,
            "the first forward held by the silent parent");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(Forwards - 1L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.delivery WHERE state = 'pending' AND lease_until IS NULL AND created_at < now() - interval '1 second'"));
        var reconciler = hub.Services.GetRequiredService<PushDeliveries>();

        // Each waiting forward has its job in the queue: nothing to enqueue, however often the reconciler runs.
        Assert.Equal(new[] { 0, 0, 0 }, await ThreeRunsAsync(reconciler));
        Assert.Equal((long)Forwards, await PushJobsAsync(hub));

        // A forward whose job was lost (a commit whose enqueue never happened) gets one, once.
        await client.SendDocumentAsync(new SendDocumentRequest { Package = hub.SignedDocument(Commune, ["000.00.02.H56"]) });
        await hub.ScalarAsync($"""
            UPDATE lgsp.delivery SET mode = 'push', via_hub = '{Parent}', next_attempt_at = now() - interval '5 minutes' WHERE recipient = '000.00.02.H56'
            """);

        Assert.Equal(new[] { 1, 0, 0 }, await ThreeRunsAsync(reconciler));
        Assert.Equal(Forwards + 1L, await PushJobsAsync(hub));
    }

    private static async Task ConnectAsync(RunningHub hub, SilentPeer parent)
    {
        var directory = hub.Services.GetRequiredService<IDirectoryStore>();
        await directory.SaveHubAsync(new HubLink(Parent, HubRole.Parent, parent.Url, "h56-at-root", hub.Services.GetRequiredService<SecretBox>().Seal("secret"), null, true), "test");
        await directory.SaveAgencyAsync(new Agency(BeyondTheParent, "Bộ Nội vụ", null, AgencyTier.Central, true, null, null, default) { ServedBy = Parent }, "test");
    }

    // How many deliveries each of three reconciler runs in a row enqueued.
    private static async Task<int[]> ThreeRunsAsync(PushDeliveries reconciler) =>
        [await reconciler.ReconcileAsync(), await reconciler.ReconcileAsync(), await reconciler.ReconcileAsync()];

    // Every push job the hub ever enqueued or scheduled, whatever became of it.
    private static async Task<long> PushJobsAsync(RunningHub hub) =>
        (long)(await hub.ScalarAsync("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%PushAsync%'"))!;

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
