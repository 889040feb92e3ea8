using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Lgsp.Postgres.Cluster;

// What runs on the data directory: a server that answers, a stale lock file, processes left over
// from a killed server; and finding a free port and reading the server log.
public sealed partial class PostgresCluster
{
    private sealed partial class Launcher
    {
        /// <summary>The port of a server of this directory that is running and answers, or null
        /// when none runs. Waits while one is starting.</summary>
        private async Task<int?> RunningPortAsync(string canonical, CancellationToken ct)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var pidFile = PostmasterPidFile.Read(DataDirectory);
                if (pidFile is null)
                {
                    return null;
                }

                var state = UnixProcesses.State(pidFile.Pid);
                if (state != ProcessState.Alive)
                {
                    say($"postmaster.pid names PID {pidFile.Pid}, which is {(state == ProcessState.Zombie ? "a zombie" : "gone")}: the last server did not shut down");
                    return null;
                }

                var workingDirectory = UnixProcesses.WorkingDirectory(pidFile.Pid);
                if (workingDirectory is not null && workingDirectory != canonical)
                {
                    say($"postmaster.pid names PID {pidFile.Pid}, which is some other process now: the last server did not shut down");
                    return null;
                }

                if (workingDirectory is null)
                {
                    if (UnixProcesses.State(pidFile.Pid) != ProcessState.Alive)
                    {
                        return null; // It exited while we looked.
                    }

                    throw new PostgresClusterException(
                        $"{DataDirectory} is locked by process {pidFile.Pid}, which this process may not inspect. Stop that server (pg_ctl -D {DataDirectory} stop) first.");
                }

                if (pidFile.Port is int port && pidFile.Status is null or "ready"
                    && await AnswersAsync(port, ct).ConfigureAwait(false))
                {
                    return port;
                }

                if (deadline.Elapsed > TimeSpan.FromSeconds(StartWaitSeconds))
                {
                    throw new PostgresClusterException(
                        $"A server (PID {pidFile.Pid}, status '{pidFile.Status}') runs on {DataDirectory} but does not answer on 127.0.0.1:{pidFile.Port}. "
                        + $"Stop it (pg_ctl -D {DataDirectory} stop) or see {LogFile}.");
                }

                await Task.Delay(100, ct).ConfigureAwait(false);
            }
        }

        /// <summary>The PID named by a lock file that no live server of this directory holds, when
        /// nothing works in the directory either; else null.</summary>
        private int? LockIsStale(string canonical)
        {
            var pidFile = PostmasterPidFile.Read(DataDirectory);
            if (pidFile is null)
            {
                return null;
            }

            if (UnixProcesses.State(pidFile.Pid) == ProcessState.Alive)
            {
                var workingDirectory = UnixProcesses.WorkingDirectory(pidFile.Pid);
                if (workingDirectory is null || workingDirectory == canonical)
                {
                    return null;
                }
            }

            return UnixProcesses.WorkingIn(canonical).Count == 0 ? pidFile.Pid : null;
        }

        /// <summary>After a server was killed its children notice and exit on their own, and the
        /// next server refuses to start while they hold the old shared memory. Waits for them.</summary>
        private async Task WaitForLeftoversAsync(string canonical, CancellationToken ct)
        {
            var leftovers = UnixProcesses.WorkingIn(canonical);
            if (leftovers.Count == 0)
            {
                return;
            }

            say($"Waiting for {leftovers.Count} process(es) of an earlier server to exit (PID {string.Join(", ", leftovers)})");
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < LeftoverWait)
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
                leftovers = UnixProcesses.WorkingIn(canonical);
                if (leftovers.Count == 0)
                {
                    return;
                }
            }

            throw new PostgresClusterException(
                $"Processes {string.Join(", ", leftovers)} still work in {DataDirectory}, left over from a server that is gone. Stop them and start again.");
        }

        private static async Task<bool> AnswersAsync(int port, CancellationToken ct)
        {
            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = IPAddress.Loopback.ToString(),
                Port = port,
                Username = UserName,
                Database = "postgres",
                Pooling = false,
                Timeout = 3,
            };
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
                return true;
            }
            catch (NpgsqlException ex) when (ex is not PostgresException)
            {
                return false;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.CannotConnectNow)
            {
                return false;
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static string ReadFrom(string file, long offset)
        {
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return "";
            }
        }

        private static string Tail(string text, int lines) =>
            string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
    }
}
