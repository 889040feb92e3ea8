using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Hosting;
using Lgsp.Server.Observability;
using Npgsql;

namespace Lgsp.Server.Hosting;

/// <summary>
/// Keeps the private PostgreSQL cluster this hub started running: it looks at the postmaster every
/// second and, when it is gone (killed, crashed, stopped by hand), starts it again on the same port,
/// retrying with a growing pause while it will not start. One log line per change of state (down,
/// up again, first failed attempt); <c>lgsp_cluster_restarts_total</c> and <c>lgsp_cluster_up</c>.
/// </summary>
/// <remarks>Only the hub that started the cluster supervises it: a cluster it found running belongs to
/// whoever started it. Once the hub stops, the cluster is stopped with it and never restarted.</remarks>
public sealed class ClusterSupervisor(PostgresCluster cluster, HubDatabase database, NpgsqlDataSource dataSource, HubMetrics metrics,
    ILogger<ClusterSupervisor> log) : BackgroundService
{
    /// <summary>How often the postmaster is looked at.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between two attempts to start a cluster that will not start.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ClusterUp(true);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(CheckInterval, stoppingToken);
                if (cluster.Stopped || await IsRunningAsync(stoppingToken))
                {
                    continue;
                }

                await RestartAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The hub stops; the database is closed (and the cluster stopped) after the services.
        }
    }

    /// <summary>Running, looked at twice a moment apart: the lock file may be rewritten meanwhile.</summary>
    private async Task<bool> IsRunningAsync(CancellationToken ct)
    {
        if (cluster.PostmasterPid is not null)
        {
            return true;
        }

        await Task.Delay(200, ct);
        return cluster.PostmasterPid is not null;
    }

    private async Task RestartAsync(CancellationToken ct)
    {
        metrics.ClusterUp(false);
        log.LogWarning("The private PostgreSQL cluster in {DataDirectory} is down (no live postmaster); starting it again on port {Port}. Its log: {LogFile}",
            cluster.DataDirectory, cluster.Port, cluster.LogFile);
        var down = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!await cluster.RestartAsync(ct))
                {
                    return; // Stopped with the hub meanwhile.
                }

                // Pooled connections to the dead server would each fail once; drop them now.
                dataSource.Clear();
                database.DataSource.Clear();
                using (var connection = new NpgsqlConnection(database.ConnectionString))
                {
                    NpgsqlConnection.ClearPool(connection);
                }

                metrics.ClusterRestarted();
                metrics.ClusterUp(true);
                log.LogWarning("The private PostgreSQL cluster in {DataDirectory} runs again on port {Port} (postmaster PID {Pid}), {Seconds:0.0} s after it was found down, at attempt {Attempt}",
                    cluster.DataDirectory, cluster.Port, cluster.PostmasterPid, down.Elapsed.TotalSeconds, attempt);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Whatever the failure (a program that would not run, a file it could not read), the
                // supervisor keeps trying: a supervisor that stopped would stop the hub with it.
                if (attempt == 1)
                {
                    log.LogError("The private PostgreSQL cluster in {DataDirectory} did not start again; trying again every {MaxPause} at most: {Reason}",
                        cluster.DataDirectory, MaxPause, ex.Message);
                }
                else
                {
                    log.LogDebug("Attempt {Attempt} to start the private PostgreSQL cluster failed: {Reason}", attempt, ex.Message);
                }
            }

            await Task.Delay(pause, ct);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }
}
