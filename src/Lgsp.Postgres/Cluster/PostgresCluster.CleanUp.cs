using System.Collections.Concurrent;
using System.Globalization;

namespace Lgsp.Postgres.Cluster;

// Throwaway clusters, and the clean-up after them: at dispose, at process exit, and of those left
// by a process that was killed.
public sealed partial class PostgresCluster
{
    private const string TemporaryPrefix = "lgsp-pg-";
    private const string OwnerFileName = "owner";

    private static readonly ConcurrentDictionary<PostgresCluster, byte> s_temporaries = new();
    private static int s_processExitHooked;

    /// <summary>
    /// Starts a throwaway cluster in a new directory under the system temporary directory, tuned
    /// for speed (<see cref="PostgresClusterOptions.Durable"/> false).
    /// <see cref="DisposeAsync"/> stops it (immediate) and deletes the directory. Clusters still
    /// running when the process exits are stopped and deleted then; those left by a process that
    /// died without exiting (killed) are deleted by the next call.
    /// </summary>
    /// <param name="log">Receives one line per step.</param>
    /// <param name="database">The database to create.</param>
    /// <param name="ct">Cancels waiting.</param>
    /// <exception cref="PostgresClusterException">As for <see cref="StartAsync"/>.</exception>
    public static async Task<PostgresCluster> Temporary(
        Action<string>? log = null, string database = "lgsp", CancellationToken ct = default)
    {
        var say = Guarded(log);
        await SweepAbandonedAsync(say).ConfigureAwait(false);

        var root = Directory.CreateTempSubdirectory(TemporaryPrefix).FullName;
        try
        {
            if (UnixProcesses.IsRoot)
            {
                // Created 0700 for root; the postgres account must be able to pass through to data/.
                SetMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
            }

            await File.WriteAllTextAsync(
                Path.Combine(root, OwnerFileName),
                $"{Environment.ProcessId} {UnixProcesses.StartTicks(Environment.ProcessId)}\n",
                ct).ConfigureAwait(false);

            var options = new PostgresClusterOptions
            {
                DataDirectory = Path.Combine(root, "data"),
                Durable = false,
                Database = database,
            };
            var cluster = await StartAsync(options, say, ct).ConfigureAwait(false);
            cluster._temporaryRoot = root;
            s_temporaries.TryAdd(cluster, 0);
            if (Interlocked.Exchange(ref s_processExitHooked, 1) == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopTemporariesAtExit();
            }

            return cluster;
        }
        catch
        {
            DeleteQuietly(root);
            throw;
        }
    }

    private static void StopTemporariesAtExit()
    {
        foreach (var cluster in s_temporaries.Keys)
        {
            try
            {
                cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The process is exiting and an exception here would crash it; nobody is left to tell.
            }
        }
    }

    /// <summary>Deletes temporary clusters whose owning process is gone (a test run killed
    /// before it could clean up), stopping their servers first.</summary>
    private static async Task SweepAbandonedAsync(Action<string> say)
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetDirectories(Path.GetTempPath(), TemporaryPrefix + "*");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var root in candidates)
        {
            string owner;
            try
            {
                owner = await File.ReadAllTextAsync(Path.Combine(root, OwnerFileName)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // Being created right now, or not one of ours.
            }

            var parts = owner.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                continue;
            }

            if (UnixProcesses.State(pid) == ProcessState.Alive && UnixProcesses.StartTicks(pid) == ticks)
            {
                continue;
            }

            say($"Removing {root}, a temporary cluster left by process {pid}, which is gone");
            var data = Path.Combine(root, "data");
            if (PostmasterPidFile.Read(data) is not null)
            {
                try
                {
                    var launcher = new Launcher(PostgresBinaries.Locate(), UnixProcesses.IsRoot, data, "postgres", say);
                    await launcher.StopAsync(PostgresStopMode.Immediate, CancellationToken.None).ConfigureAwait(false);
                }
                catch (PostgresClusterException ex)
                {
                    say($"Could not stop the server in {data}: {ex.Message}");
                    continue;
                }
            }

            DeleteQuietly(root);
        }
    }

    private static void SetMode(string path, UnixFileMode mode, bool add = false)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(path, add ? File.GetUnixFileMode(path) | mode : mode);
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // One retry: a server that just exited may still be removing its socket files.
            Thread.Sleep(100);
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
