namespace Lgsp.Postgres.Cluster;

// Watching the server and starting it again when it died: the hub that started its private cluster
// keeps it running (Lgsp.Server's ClusterSupervisor decides when and logs).
public sealed partial class PostgresCluster
{
    /// <summary>The postmaster's PID as its lock file names it, when a live process holds it; null
    /// when the server is not running (stopped, killed, or its lock file is gone).</summary>
    public int? PostmasterPid =>
        PostmasterPidFile.Read(DataDirectory) is { } pidFile && UnixProcesses.State(pidFile.Pid) == ProcessState.Alive ? pidFile.Pid : null;

    /// <summary>True once <see cref="StopAsync"/> has stopped the server: it is not to be started again.</summary>
    public bool Stopped => Volatile.Read(ref _stopped);

    /// <summary>Starts the server again on the same directory and port, after it died (a killed
    /// postmaster, an immediate stop by hand). Waits for the dead server's processes to exit; a
    /// server running there meanwhile is attached to instead. Does nothing once <see cref="StopAsync"/> ran.</summary>
    /// <returns>True when the server runs (started or attached), false when this cluster is stopped.</returns>
    /// <exception cref="PostgresClusterException">The server did not start (the port is taken, the directory
    /// is damaged, ...); the message carries the program's output and the end of the server log.</exception>
    public async Task<bool> RestartAsync(CancellationToken ct = default)
    {
        await _stopGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return false;
            }

            // The connection string carries the port: the server must come back on the same one.
            var options = new PostgresClusterOptions
            {
                DataDirectory = DataDirectory,
                Port = Port,
                Durable = _options.Durable,
                Database = _options.Database,
                MaxConnections = _options.MaxConnections,
            };
            var (port, _, socketDirectory) = await _launcher.StartOrAttachAsync(options, ct).ConfigureAwait(false);
            if (port != Port)
            {
                throw new PostgresClusterException($"A server started meanwhile on {DataDirectory} listens on port {port}, not {Port}; restart the hub.");
            }

            if (socketDirectory is not null)
            {
                var old = Interlocked.Exchange(ref _socketDirectory, socketDirectory);
                if (old is not null && old != socketDirectory)
                {
                    DeleteQuietly(old);
                }
            }

            return true;
        }
        finally
        {
            _stopGate.Release();
        }
    }
}
