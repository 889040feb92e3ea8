namespace Lgsp.Server.Observability;

/// <summary>Background jobs waiting, by kind.</summary>
/// <param name="Enqueued">Ready to run.</param>
/// <param name="Scheduled">Waiting for their time.</param>
/// <param name="Processing">Running.</param>
public sealed record JobQueueFigures(long Enqueued, long Scheduled, long Processing);

/// <summary>What the job queue tells about itself to metrics and readiness checks, read when they ask.</summary>
/// <remarks>Implementations are thread safe.</remarks>
public interface IJobQueueMonitor
{
    /// <summary>Reads the queue's figures now.</summary>
    /// <exception cref="Exception">The queue's storage cannot be reached.</exception>
    JobQueueFigures ReadFigures();

    /// <summary>The job servers running, on every instance.</summary>
    /// <exception cref="Exception">The queue's storage cannot be reached.</exception>
    int CountServers();
}
