using Lgsp.Exchange.Delivery;

namespace Lgsp.Exchange.Tests.Fakes;

/// <summary>The delivery queue port: remembers what it was asked to run, runs nothing.</summary>
internal sealed class RecordingQueue : IDeliveryQueue
{
    public List<long> Enqueued { get; } = [];

    public List<(long DeliveryId, DateTimeOffset At)> Scheduled { get; } = [];

    public void Enqueue(long deliveryId) => Enqueued.Add(deliveryId);

    public void Schedule(long deliveryId, DateTimeOffset at) => Scheduled.Add((deliveryId, at));
}
