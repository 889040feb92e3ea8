using Hangfire;
using Lgsp.Server.Observability;

namespace Lgsp.Server.Jobs;

/// <summary><see cref="IJobQueueMonitor"/> on Hangfire's monitoring API.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class HangfireJobQueueMonitor(JobStorage storage) : IJobQueueMonitor
{
    /// <inheritdoc />
    public JobQueueFigures ReadFigures()
    {
        var statistics = storage.GetMonitoringApi().GetStatistics();
        return new JobQueueFigures(statistics.Enqueued, statistics.Scheduled, statistics.Processing);
    }

    /// <inheritdoc />
    public int CountServers() => storage.GetMonitoringApi().Servers().Count;
}
