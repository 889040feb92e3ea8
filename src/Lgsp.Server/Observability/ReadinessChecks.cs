using Lgsp.Exchange.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lgsp.Server.Observability;

/// <summary>Ready when the database answers.</summary>
public sealed class DatabaseReadiness(IStoreMonitor store) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await store.ProbeAsync(ct) is { } failure
            ? HealthCheckResult.Unhealthy("PostgreSQL does not answer.", failure)
            : HealthCheckResult.Healthy("PostgreSQL answers.");
}

/// <summary>Ready when the job queue's storage answers and a job server of this hub is running.</summary>
public sealed class JobsReadiness(IJobQueueMonitor jobs) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var servers = jobs.CountServers();
            return Task.FromResult(servers > 0
                ? HealthCheckResult.Healthy($"{servers} job server(s).")
                : HealthCheckResult.Unhealthy("No job server is running."));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage does not answer.", ex));
        }
    }
}
