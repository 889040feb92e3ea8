using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Delivery;

/// <summary>Push delivery: one attempt per call, with backoff, dead letter, and the reconciler that
/// re-enqueues deliveries a lost job left behind.</summary>
/// <remarks>Thread safe. At least once: an attempt whose outcome was not recorded (a crash mid-push)
/// is made again; recipients de-duplicate on the package identity.</remarks>
public sealed class PushDeliveries(IDeliveryStore store, IPushTransport transport, IDeliveryQueue queue, TimeProvider clock, RetryPolicy policy)
{
    /// <summary>Makes the delivery's next attempt if it is due and not held; returns the new state, or
    /// null when there was nothing to do.</summary>
    public async Task<DeliveryState?> RunAsync(long deliveryId, CancellationToken ct = default)
    {
        var started = clock.GetUtcNow();
        var work = await store.ClaimPushAsync(deliveryId, started, policy.Lease, policy.MaxForwardGroup, ct);
        if (work is null)
        {
            return null;
        }

        PushResult result;
        try
        {
            // An operator removed the endpoint after the package was accepted: nothing to push to. A
            // delivery via another hub needs no endpoint: the transport forwards it to that hub.
            // A disabled hub is out of the tree: forwarding to it anyway would bypass the operator's
            // decision. A replay routes the delivery through the current directory.
            result = work switch
            {
                { Via.Active: false } => new PushResult(PushOutcome.Permanent,
                    $"hub {work.Via.Id} is disabled; replay the delivery to route it through the current directory", DeliveryErrorCode.HubDisabled),
                { Endpoint: null, Via: null } => new PushResult(PushOutcome.Permanent,
                    $"{work.Recipient} no longer has a push endpoint; add one or let it pull, then replay the delivery", DeliveryErrorCode.NoEndpoint),
                _ => await transport.PushAsync(work, ct),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            result = new PushResult(PushOutcome.Transient, ex.Message, DeliveryErrorCode.Unexpected);
        }

        // A forward carries its companions' codes too (ADR 0017): each delivery of the group takes the
        // one upload's outcome, with its own attempt number and backoff.
        var finished = clock.GetUtcNow();
        DeliveryState? leadState = null;
        foreach (var member in work.Group)
        {
            var record = Record(member, result, started, finished);
            if (!await store.RecordPushAsync(record, ct))
            {
                continue;
            }

            if (record.NextAttemptAt is { } next)
            {
                queue.Schedule(member.DeliveryId, next);
            }

            if (member.DeliveryId == deliveryId)
            {
                leadState = record.NewState;
            }
        }

        return leadState;
    }

    // Attempt rows are numbered over the delivery's whole life; the limit and the backoff count only the
    // attempts since the latest replay.
    private PushRecord Record(PushWork work, PushResult result, DateTimeOffset started, DateTimeOffset finished)
    {
        var attempt = work.Attempts + 1;
        var sinceReplay = attempt - work.AttemptBase;
        return result.Outcome switch
        {
            PushOutcome.Delivered => new PushRecord(work.DeliveryId, attempt, started, finished, DeliveryState.Delivered, null, false, null, PeerDocId: result.PeerDocId, PeerReceipt: result.PeerReceipt),
            PushOutcome.Permanent => new PushRecord(work.DeliveryId, attempt, started, finished, DeliveryState.Failed, result.Error, true, null, result.ErrorCode),
            _ when sinceReplay >= policy.MaxAttempts => new PushRecord(work.DeliveryId, attempt, started, finished, DeliveryState.Failed,
                $"{result.Error} (gave up after {sinceReplay} attempts)", false, null, result.ErrorCode),
            _ => new PushRecord(work.DeliveryId, attempt, started, finished, DeliveryState.Retrying, result.Error, false, finished + policy.DelayAfter(sinceReplay), result.ErrorCode),
        } with { LeaseUntil = work.LeaseUntil };
    }

    /// <summary>Enqueues a job for each group of overdue push deliveries left without one (a crash between
    /// commit and enqueue, a failed enqueue, a lost job), at most <paramref name="max"/>; returns how many.
    /// A group with a live job is left alone however long it waits: behind a slow or down parent the
    /// workers are busy and queued forwards grow overdue, and a second job would only end with nothing
    /// to do.</summary>
    public async Task<int> ReconcileAsync(int max = 1000, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        IReadOnlySet<long>? live = null;
        var enqueued = 0;
        var after = 0L;
        while (enqueued < max)
        {
            var page = await store.OverduePushesAsync(now - policy.ReconcileGrace, max, after, ct);
            if (page.Count == 0)
            {
                break;
            }

            // Read after the deliveries: a job that ends in between has moved its delivery on (or
            // scheduled its next attempt, which is then listed), so nothing is enqueued twice.
            live ??= queue.WithLiveJobs(now - policy.Lease);
            foreach (var group in page)
            {
                if (enqueued == max)
                {
                    break;
                }

                if (!group.DeliveryIds.Any(live.Contains))
                {
                    queue.Enqueue(group.Lead);
                    enqueued++;
                }
            }

            if (page.Count < max)
            {
                break;
            }

            after = page[^1].Lead;
        }

        return enqueued;
    }
}
