using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Fakes;

namespace Lgsp.Exchange.Tests.Delivery;

public sealed class PushDeliveriesTests
{
    private static readonly HubLink Parent = new("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "h56", [1], null, true);
    private static readonly RetryPolicy Policy = new() { MaxAttempts = 3, FirstDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(25) };

    [Fact]
    public void BackoffDoublesFromTheFirstDelayUpToTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Policy.DelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(20), Policy.DelayAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(25), Policy.DelayAfter(3));
        Assert.Equal(TimeSpan.FromSeconds(25), Policy.DelayAfter(40));
    }

    [Fact]
    public async Task ASuccessfulPushMarksTheDeliveryDelivered()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Delivered));
        Assert.Equal(DeliveryState.Delivered, await pushes.RunAsync(7));
        Assert.Equal(DeliveryState.Delivered, store.Records.Single().NewState);
        Assert.Empty(queue.Scheduled);
    }

    [Fact]
    public async Task TheOutcomeIsRecordedUnderTheLeaseOfTheClaimItRanUnder()
    {
        var (pushes, store, _) = Build(new PushResult(PushOutcome.Delivered));
        await pushes.RunAsync(7);
        Assert.Equal(Store.Lease, store.Records.Single().LeaseUntil);
    }

    [Fact]
    public async Task ATransientFailureSchedulesTheNextAttemptAfterTheBackoff()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Transient, "HTTP 503"));
        Assert.Equal(DeliveryState.Retrying, await pushes.RunAsync(7));
        var record = store.Records.Single();
        Assert.Equal(1, record.Attempt);
        Assert.Equal("HTTP 503", record.Error);
        Assert.Equal(record.FinishedAt + TimeSpan.FromSeconds(10), record.NextAttemptAt);
        Assert.Equal((7L, record.NextAttemptAt!.Value), queue.Scheduled.Single());
    }

    [Fact]
    public async Task AForwardWithCompanionsIsOnePushWhoseOutcomeEachDeliveryOfTheGroupRecordsUnderItsOwnCount()
    {
        var store = new Store(true, 0, null, Parent, 0) { Companions = [(8, "R2", 0), (9, "R3", 2)] };
        var transport = new Transport(new PushResult(PushOutcome.Transient, "HTTP 503"));
        var queue = new RecordingQueue();
        var pushes = new PushDeliveries(store, transport, queue, TimeProvider.System, Policy);

        Assert.Equal(DeliveryState.Retrying, await pushes.RunAsync(7));

        Assert.Equal(["R", "R2", "R3"], Assert.Single(transport.Pushed).AddressedCodes);
        Assert.Equal([(7L, 1, DeliveryState.Retrying), (8L, 1, DeliveryState.Retrying), (9L, 3, DeliveryState.Failed)],
            store.Records.Select(r => (r.DeliveryId, r.Attempt, r.NewState)).ToArray());
        Assert.Equal("HTTP 503 (gave up after 3 attempts)", store.Records[2].Error);
        Assert.Equal([7L, 8L], queue.Scheduled.Select(s => s.DeliveryId).ToArray());
    }

    [Fact]
    public async Task AForwardDeliveredForItsGroupMarksEveryDeliveryDeliveredWithThePeersId()
    {
        var store = new Store(true, 0, null, Parent, 0) { Companions = [(8, "R2", 0)] };
        var pushes = new PushDeliveries(store, new Transport(new PushResult(PushOutcome.Delivered, PeerDocId: "551")), new RecordingQueue(), TimeProvider.System, Policy);

        Assert.Equal(DeliveryState.Delivered, await pushes.RunAsync(7));

        Assert.All(store.Records, r => Assert.Equal((DeliveryState.Delivered, "551"), (r.NewState, r.PeerDocId)));
        Assert.Equal([7L, 8L], store.Records.Select(r => r.DeliveryId).ToArray());
    }

    [Fact]
    public async Task APermanentRefusalFailsAtOnce()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Permanent, "HTTP 400"));
        Assert.Equal(DeliveryState.Failed, await pushes.RunAsync(7));
        Assert.True(store.Records.Single().Permanent);
        Assert.Empty(queue.Scheduled);
    }

    [Fact]
    public async Task TheLastAllowedAttemptFailingLeavesTheDeliveryFailed()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Transient, "timeout"), attemptsBefore: 2);
        Assert.Equal(DeliveryState.Failed, await pushes.RunAsync(7));
        Assert.Contains("gave up after 3 attempts", store.Records.Single().Error);
        Assert.Empty(queue.Scheduled);
    }

    [Fact]
    public async Task ADeliveryViaAnotherHubGoesToTheTransportWithoutAnEndpoint()
    {
        var parent = new HubLink("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "h56", [1], null, true);
        var (pushes, store, _) = Build(new PushResult(PushOutcome.Delivered, PeerDocId: "4711", PeerReceipt: [9, 8]), withEndpoint: false, via: parent);
        Assert.Equal(DeliveryState.Delivered, await pushes.RunAsync(7));
        var record = store.Records.Single();
        Assert.Equal("4711", record.PeerDocId);
        Assert.Equal([9, 8], record.PeerReceipt);
    }

    [Fact]
    public async Task ADeliveryViaAHubDisabledSinceFailsAtOnceWithoutReachingTheTransport()
    {
        var disabled = new HubLink("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "h56", [1], null, false);
        var (pushes, store, queue) = Build(null, withEndpoint: false, via: disabled);
        Assert.Equal(DeliveryState.Failed, await pushes.RunAsync(7));
        var record = store.Records.Single();
        Assert.True(record.Permanent);
        Assert.Equal(DeliveryErrorCode.HubDisabled, record.ErrorCode);
        Assert.Contains("hub national is disabled", record.Error);
        Assert.Empty(queue.Scheduled);
    }

    [Fact]
    public async Task AfterAReplayOnlyTheAttemptsSinceItCountAgainstTheLimitAndTheBackoffStartsAgain()
    {
        // Three attempts failed before the replay: the fourth is the first of a fresh budget of three.
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Transient, "HTTP 503", "http-503"), attemptsBefore: 3, attemptBase: 3);
        Assert.Equal(DeliveryState.Retrying, await pushes.RunAsync(7));
        var record = store.Records.Single();
        Assert.Equal(4, record.Attempt);
        Assert.Equal(record.FinishedAt + TimeSpan.FromSeconds(10), record.NextAttemptAt);
        Assert.Equal("http-503", record.ErrorCode);
        Assert.Single(queue.Scheduled);

        var (last, lastStore, _) = Build(new PushResult(PushOutcome.Transient, "HTTP 503", "http-503"), attemptsBefore: 5, attemptBase: 3);
        Assert.Equal(DeliveryState.Failed, await last.RunAsync(7));
        Assert.Contains("gave up after 3 attempts", lastStore.Records.Single().Error);
        Assert.Equal(6, lastStore.Records.Single().Attempt);
    }

    [Fact]
    public async Task ATransportThatThrowsCountsAsATransientFailure()
    {
        var (pushes, store, _) = Build(null);
        Assert.Equal(DeliveryState.Retrying, await pushes.RunAsync(7));
        Assert.Equal("boom", store.Records.Single().Error);
        Assert.Equal(DeliveryErrorCode.Unexpected, store.Records.Single().ErrorCode);
    }

    [Fact]
    public async Task ADeliveryWhoseAgencyLostItsEndpointFailsWithTheReasonInsteadOfWaitingForever()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Delivered), withEndpoint: false);
        Assert.Equal(DeliveryState.Failed, await pushes.RunAsync(7));
        Assert.Contains("no longer has a push endpoint", store.Records.Single().Error);
        Assert.Equal(DeliveryErrorCode.NoEndpoint, store.Records.Single().ErrorCode);
        Assert.Empty(queue.Scheduled);
    }

    [Fact]
    public async Task ADeliveryThatCannotBeClaimedIsLeftAlone()
    {
        var (pushes, store, _) = Build(new PushResult(PushOutcome.Delivered), claimable: false);
        Assert.Null(await pushes.RunAsync(7));
        Assert.Empty(store.Records);
    }

    [Fact]
    public async Task TheReconcilerEnqueuesTheLeadOfEveryOverdueGroupWithoutALiveJob()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Delivered));
        store.Overdue = [new([3]), new([5, 6]), new([8])];
        queue.Live.Add(6);

        Assert.Equal(2, await pushes.ReconcileAsync());

        Assert.Equal([3L, 8L], queue.Enqueued);
    }

    [Fact]
    public async Task AJobRunningSinceLongerThanALeaseDoesNotCountAsLive()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Delivered));
        store.Overdue = [new([3])];
        var before = DateTimeOffset.UtcNow;

        await pushes.ReconcileAsync();

        Assert.InRange(queue.RunningSince!.Value, before - Policy.Lease, DateTimeOffset.UtcNow - Policy.Lease);
    }

    [Fact]
    public async Task TheReconcilerAsksForNoLiveJobsWhenNothingIsOverdue()
    {
        var (pushes, _, queue) = Build(new PushResult(PushOutcome.Delivered));

        Assert.Equal(0, await pushes.ReconcileAsync());

        Assert.Null(queue.RunningSince);
    }

    [Fact]
    public async Task TheReconcilerLooksPastAWholePageOfGroupsWithLiveJobs()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Delivered));
        store.Overdue = [new([1]), new([2]), new([3])];
        queue.Live.UnionWith([1, 2]);

        Assert.Equal(1, await pushes.ReconcileAsync(max: 2));

        Assert.Equal([3L], queue.Enqueued);
    }

    [Fact]
    public async Task TheReconcilerEnqueuesAtMostItsLimitInOneRun()
    {
        var (pushes, store, queue) = Build(new PushResult(PushOutcome.Delivered));
        store.Overdue = [new([1]), new([2]), new([3])];

        Assert.Equal(2, await pushes.ReconcileAsync(max: 2));

        Assert.Equal([1L, 2L], queue.Enqueued);
    }

    private static readonly Uri Peer = new("http://127.0.0.1:9/");

    private static (PushDeliveries, Store, RecordingQueue) Build(PushResult? result, int attemptsBefore = 0, bool claimable = true, bool withEndpoint = true, HubLink? via = null,
        int attemptBase = 0)
    {
        var store = new Store(claimable, attemptsBefore, withEndpoint ? Peer : null, via, attemptBase);
        var queue = new RecordingQueue();
        return (new PushDeliveries(store, new Transport(result), queue, TimeProvider.System, Policy), store, queue);
    }

    private sealed class Store(bool claimable, int attempts, Uri? endpoint, HubLink? via, int attemptBase) : IDeliveryStore
    {
        public static readonly DateTimeOffset Lease = new(2026, 11, 23, 8, 2, 0, TimeSpan.Zero);

        public List<PushRecord> Records { get; } = [];
        public IReadOnlyList<OverdueGroup> Overdue { get; set; } = [];
        public IReadOnlyList<(long Id, string AddressedTo, int Attempts)> Companions { get; set; } = [];

        public Task<PushWork?> ClaimPushAsync(long deliveryId, DateTimeOffset now, TimeSpan lease, int maxGroup = RetryPolicy.DefaultForwardGroup, CancellationToken ct = default) =>
            Task.FromResult(claimable
                ? new PushWork(deliveryId, 1, PackageKind.Document, "D", "ab", "R", endpoint, attempts, _ => Task.FromResult(PackageBody.Of([1])), via, AddressedTo: "R", AttemptBase: attemptBase)
                {
                    LeaseUntil = Lease,
                    Companions = [.. Companions.Select(c => new PushWork(c.Id, 1, PackageKind.Document, "D", "ab", c.AddressedTo, null, c.Attempts, _ => Task.FromResult(PackageBody.Of([1])), via, c.AddressedTo) { LeaseUntil = Lease })],
                }
                : null);

        public Task<bool> RecordPushAsync(PushRecord record, CancellationToken ct = default)
        {
            Records.Add(record);
            return Task.FromResult(true);
        }

        public Task<IReadOnlyList<OverdueGroup>> OverduePushesAsync(DateTimeOffset dueBefore, int max, long afterLead = 0, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<OverdueGroup>>([.. Overdue.Where(g => g.Lead > afterLead).Take(max)]);
    }

    private sealed class Transport(PushResult? result) : IPushTransport
    {
        public List<PushWork> Pushed { get; } = [];

        public Task<PushResult> PushAsync(PushWork work, CancellationToken ct = default)
        {
            Pushed.Add(work);
            return result is null ? throw new HttpRequestException("boom") : Task.FromResult(result);
        }
    }
}
