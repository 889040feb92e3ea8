using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Lgsp.Postgres.Cluster;

// The steps, run with the PostgreSQL programs: initdb, start (or attach to a running server), stop.
// What the launcher checks on the data directory before it starts a server is in
// PostgresCluster.Launcher.Probes.cs.
public sealed partial class PostgresCluster
{
    private const string SocketPrefix = "lgsp-pgs-";
    private const int StartWaitSeconds = 60;

    // A Unix socket path must fit sun_path (108 bytes with its terminator); keep a margin.
    private const int MaxSocketPathBytes = 100;
    private const string SocketFileName = "/.s.PGSQL.65535";

    private static readonly TimeSpan ProgramTimeout = TimeSpan.FromSeconds(StartWaitSeconds + 60);
    private static readonly TimeSpan LeftoverWait = TimeSpan.FromSeconds(30);

    /// <summary>The steps, for one data directory.</summary>
    private sealed partial class Launcher(string bin, bool asServiceUser, string dataDirectory, string database, Action<string> say)
    {
        public string DataDirectory { get; } = dataDirectory;

        public string Database { get; } = database;

        public string LogFile { get; } = Path.Combine(dataDirectory, LogFileName);

        public void Say(string line) => say(line);

        private string PgCtl => Path.Combine(bin, "pg_ctl");

        public async Task InitializeAsync(bool durable, CancellationToken ct)
        {
            say($"Creating a new cluster in {DataDirectory}");
            await PrepareDirectoryAsync(DataDirectory, ct).ConfigureAwait(false);

            var watch = Stopwatch.StartNew();
            foreach (var locale in new[] { "C.UTF-8", "C" })
            {
                List<string> arguments =
                [
                    "-D", DataDirectory, "-U", UserName, "--auth=trust", "-E", "UTF8", $"--locale={locale}", "--no-instructions",
                ];
                if (!durable)
                {
                    arguments.Add("--no-sync");
                }

                var result = await RunAsync(Path.Combine(bin, "initdb"), arguments, ct).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    say($"initdb ({locale}, {(durable ? "synced" : "not synced")}) took {watch.ElapsedMilliseconds} ms");
                    return;
                }

                if (locale != "C" && result.Output.Contains("locale", StringComparison.OrdinalIgnoreCase)
                    && !File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
                {
                    say($"Locale {locale} is not available here; using C");
                    continue;
                }

                throw new PostgresClusterException($"initdb could not create a cluster in {DataDirectory}:{Environment.NewLine}{result.Output}");
            }
        }

        /// <summary>Creates the directory (and its missing parents) so that the account the
        /// programs run as owns it and can reach it.</summary>
        private async Task PrepareDirectoryAsync(string directory, CancellationToken ct)
        {
            var missing = new List<string>();
            for (var d = directory; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
            {
                missing.Add(d);
            }

            Directory.CreateDirectory(directory);
            SetMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (!asServiceUser)
            {
                return;
            }

            foreach (var parent in missing.Where(d => d != directory))
            {
                SetMode(parent, UnixFileMode.OtherExecute, add: true);
            }

            await ChownAsync(directory, ct).ConfigureAwait(false);
            var reach = await Commands.RunAsync("test", ["-w", directory, "-a", "-x", directory], asServiceUser: true, ProgramTimeout, ct)
                .ConfigureAwait(false);
            if (!reach.Succeeded)
            {
                throw new PostgresClusterException(
                    $"The '{Commands.ServiceUser}' account, which runs the PostgreSQL programs because this process is root, cannot reach {directory}: "
                    + "a parent directory is closed to it. Choose a data directory under a path it can traverse, or grant it o+x on the parents.");
            }
        }

        private async Task ChownAsync(string path, CancellationToken ct)
        {
            var result = await Commands.RunAsync("chown", [$"{Commands.ServiceUser}:", path], asServiceUser: false, ProgramTimeout, ct)
                .ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new PostgresClusterException(
                    $"Could not give {path} to the '{Commands.ServiceUser}' account (needed because this process is root): {result.Output}");
            }
        }

        /// <summary>Attaches to the server running on the directory, or starts one.</summary>
        public async Task<(int Port, bool Reused, string? SocketDirectory)> StartOrAttachAsync(PostgresClusterOptions options, CancellationToken ct)
        {
            var canonical = UnixProcesses.Canonical(DataDirectory);
            var lockRemoved = false;
            for (var round = 1; ; round++)
            {
                if (await RunningPortAsync(canonical, ct).ConfigureAwait(false) is int running)
                {
                    say(options.Port is int wanted && wanted != running
                        ? $"A server is already running on {DataDirectory}; reusing it on 127.0.0.1:{running} (not the configured port {wanted})"
                        : $"A server is already running on {DataDirectory}; reusing it on 127.0.0.1:{running}");
                    return (running, true, null);
                }

                await WaitForLeftoversAsync(canonical, ct).ConfigureAwait(false);

                var port = options.Port ?? FreePort();
                var socketDirectory = SocketDirectory();
                var socketIsOurs = socketDirectory != DataDirectory;
                if (socketIsOurs && asServiceUser)
                {
                    await ChownAsync(socketDirectory, ct).ConfigureAwait(false);
                }

                var serverOptions = new StringBuilder()
                    .Append(CultureInfo.InvariantCulture, $"-p {port} -k {Commands.ShellQuote(socketDirectory)}")
                    .Append(CultureInfo.InvariantCulture, $" -c listen_addresses=127.0.0.1 -c max_connections={options.MaxConnections}");
                if (!options.Durable)
                {
                    serverOptions.Append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
                }

                var logOffset = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
                say($"Starting the server on 127.0.0.1:{port}{(options.Durable ? "" : " (not durable)")}");
                var watch = Stopwatch.StartNew();
                var result = await RunAsync(
                    PgCtl,
                    ["-D", DataDirectory, "-l", LogFile, "-w", "-t", StartWaitSeconds.ToString(CultureInfo.InvariantCulture), "-o", serverOptions.ToString(), "start"],
                    ct).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    say($"Server ready on 127.0.0.1:{port} after {watch.ElapsedMilliseconds} ms");
                    return (port, false, socketIsOurs ? socketDirectory : null);
                }

                if (socketIsOurs)
                {
                    DeleteQuietly(socketDirectory);
                }

                var logged = ReadFrom(LogFile, logOffset);
                var failure = $"pg_ctl could not start the server on {DataDirectory} (port {port}):{Environment.NewLine}{result.Output}"
                    + $"{Environment.NewLine}Server log ({LogFile}):{Environment.NewLine}{Tail(logged, 20)}";
                if (round >= 6)
                {
                    throw new PostgresClusterException(failure);
                }

                if (logged.Contains("Address already in use", StringComparison.Ordinal))
                {
                    if (options.Port is not null)
                    {
                        throw new PostgresClusterException($"Port {port} on 127.0.0.1 is in use. {failure}");
                    }

                    say($"Port {port} was taken meanwhile; trying another");
                    continue;
                }

                if (logged.Contains("lock file \"postmaster.pid\" already exists", StringComparison.Ordinal))
                {
                    // Either another process started a server here meanwhile (the next round
                    // attaches to it), or the lock file names a process that PostgreSQL takes for
                    // alive but that is no server of this directory: a zombie not yet reaped, or a
                    // recycled PID. PostgreSQL leaves that to the administrator; nothing works in the
                    // directory any more (checked above), so the file is only a stale claim.
                    if (!lockRemoved && LockIsStale(canonical) is int stalePid)
                    {
                        File.Delete(Path.Combine(DataDirectory, PostmasterPidFile.FileName));
                        lockRemoved = true;
                        say($"Removed a stale postmaster.pid naming PID {stalePid} ({UnixProcesses.State(stalePid)}), which is no server of this directory");
                    }

                    continue;
                }

                throw new PostgresClusterException(failure);
            }
        }

        public async Task StopAsync(PostgresStopMode mode, CancellationToken ct)
        {
            var modeName = mode == PostgresStopMode.Immediate ? "immediate" : "fast";
            var watch = Stopwatch.StartNew();
            var result = await RunAsync(
                PgCtl,
                ["-D", DataDirectory, "-m", modeName, "-w", "-t", StartWaitSeconds.ToString(CultureInfo.InvariantCulture), "stop"],
                ct).ConfigureAwait(false);
            if (result.Succeeded)
            {
                say($"Stopped the server on {DataDirectory} ({modeName}) in {watch.ElapsedMilliseconds} ms");
                return;
            }

            var pidFile = PostmasterPidFile.Read(DataDirectory);
            if (pidFile is null || UnixProcesses.State(pidFile.Pid) != ProcessState.Alive)
            {
                say($"The server on {DataDirectory} was not running");
                return;
            }

            throw new PostgresClusterException($"pg_ctl could not stop the server on {DataDirectory}:{Environment.NewLine}{result.Output}");
        }

        private Task<CommandResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken ct) =>
            Commands.RunAsync(program, arguments, asServiceUser, ProgramTimeout, ct);

        /// <summary>The Unix socket directory: the data directory when the socket path fits, else
        /// a fresh private directory under the temporary directory.</summary>
        private string SocketDirectory()
        {
            if (Encoding.UTF8.GetByteCount(DataDirectory) + SocketFileName.Length <= MaxSocketPathBytes)
            {
                return DataDirectory;
            }

            var directory = Directory.CreateTempSubdirectory(SocketPrefix).FullName;
            if (Encoding.UTF8.GetByteCount(directory) + SocketFileName.Length > MaxSocketPathBytes)
            {
                DeleteQuietly(directory);
                throw new PostgresClusterException(
                    $"Neither {DataDirectory} nor the temporary directory {Path.GetTempPath()} is short enough to hold the server's Unix socket; use a shorter path or set TMPDIR.");
            }

            return directory;
        }
    }
}
