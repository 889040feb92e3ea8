using Lgsp.Exchange.Delivery;

namespace Lgsp.Exchange.Tests.Fakes;

/// <summary>The delivery queue port: remembers what it was asked to run, runs nothing.</summary>
internal sealed class RecordingQueue : IDeliveryQueue
{
    public List<long> Enqueued { get; } = [];

    public List<(long DeliveryId, DateTimeOffset At)> Scheduled { get; } = [];

    public void Enqueue(long deliveryId) => Enqueued.Add(deliveryId);

    /// <summary>The deliveries it says have a live job.</summary>
    public HashSet<long> Live { get; } = [];

    /// <summary>What the last <see cref="WithLiveJobs"/> was asked.</summary>
    public DateTimeOffset? RunningSince { get; private set; }

    public void Schedule(long deliveryId, DateTimeOffset at) => Scheduled.Add((deliveryId, at));

    public IReadOnlySet<long> WithLiveJobs(DateTimeOffset runningSince)
    {
        RunningSince = runningSince;
        return Live;
    }
}
