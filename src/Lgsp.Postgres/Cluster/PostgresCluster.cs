using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Lgsp.Postgres.Cluster;

/// <summary>How <see cref="PostgresCluster.StopAsync"/> shuts the server down.</summary>
public enum PostgresStopMode
{
    /// <summary>Roll back open transactions, disconnect clients, checkpoint, exit (<c>pg_ctl -m fast</c>).</summary>
    Fast,

    /// <summary>Exit at once; the next start recovers from the WAL (<c>pg_ctl -m immediate</c>).
    /// For throwaway clusters.</summary>
    Immediate,
}

/// <summary>
/// A private PostgreSQL cluster run from the machine's own PostgreSQL programs: created in a data
/// directory when it has none, started on a loopback port, reused when it is already running.
/// The zero-configuration server keeps one under <c>./var/pg</c> across restarts; tests use
/// <see cref="Temporary"/> for a throwaway one.
/// </summary>
/// <remarks>
/// <para>The cluster's only role is the superuser <c>lgsp</c>, with trust authentication, and it
/// listens on 127.0.0.1 only: anyone who can open a loopback connection on this machine can use
/// it. That suits a developer machine or a single-purpose host, not a shared one.</para>
/// <para>When this process runs as root, <c>initdb</c> and <c>pg_ctl</c> run as the
/// <c>postgres</c> account (they refuse root), which then owns the data directory and must be able
/// to reach it.</para>
/// <para>Thread safe; <see cref="StopAsync"/> may be called any number of times.</para>
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>The cluster's superuser; the only role it has.</summary>
    public const string UserName = "lgsp";

    /// <summary>The file, inside the data directory, the server logs to.</summary>
    public const string LogFileName = "server.log";

    private const string TemporaryPrefix = "lgsp-pg-";
    private const string SocketPrefix = "lgsp-pgs-";
    private const string OwnerFileName = "owner";
    private const int StartWaitSeconds = 60;

    // A Unix socket path must fit sun_path (108 bytes with its terminator); keep a margin.
    private const int MaxSocketPathBytes = 100;
    private const string SocketFileName = "/.s.PGSQL.65535";

    private static readonly TimeSpan ProgramTimeout = TimeSpan.FromSeconds(StartWaitSeconds + 60);
    private static readonly TimeSpan LeftoverWait = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<PostgresCluster, byte> s_temporaries = new();
    private static int s_processExitHooked;

    private readonly Launcher _launcher;
    private readonly string? _socketDirectory;
    private readonly SemaphoreSlim _stopGate = new(1, 1);
    private string? _temporaryRoot;
    private bool _stopped;

    private PostgresCluster(Launcher launcher, int port, bool reused, string? socketDirectory)
    {
        _launcher = launcher;
        _socketDirectory = socketDirectory;
        Port = port;
        Reused = reused;
        ConnectionString = ConnectionStringFor(launcher.Database);
    }

    /// <summary>The data directory, absolute.</summary>
    public string DataDirectory => _launcher.DataDirectory;

    /// <summary>The server's log file (<see cref="LogFileName"/> in the data directory).</summary>
    public string LogFile => _launcher.LogFile;

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>An Npgsql connection string for the options' database: host 127.0.0.1, user
    /// <see cref="UserName"/>, no password.</summary>
    public string ConnectionString { get; }

    /// <summary>True when the server was already running on the data directory (left running, or
    /// started by another process) and this instance attached to it instead of starting it.</summary>
    public bool Reused { get; }

    /// <summary>A connection string for another database of this cluster.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = UserName,
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// Starts the cluster in <see cref="PostgresClusterOptions.DataDirectory"/>, creating it first
    /// when the directory holds no <c>PG_VERSION</c>, and creates the options' database when it is
    /// missing. A server already running on the directory is reused (its port wins). A lock file
    /// left by a crashed server is dealt with: PostgreSQL's own stale-lock check first, then, if
    /// the process it names is certainly not a server of this directory, by removing it.
    /// </summary>
    /// <param name="options">Where and how to run.</param>
    /// <param name="log">Receives one line per step (binaries found, initialisation, start, ...).</param>
    /// <param name="ct">Cancels waiting; a server already started keeps running.</param>
    /// <exception cref="PostgresClusterException">The programs are missing, or a step failed; the
    /// message carries what the program printed and the end of the server log.</exception>
    public static async Task<PostgresCluster> StartAsync(
        PostgresClusterOptions options, Action<string>? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        if (!OperatingSystem.IsLinux())
        {
            throw new PostgresClusterException("The private PostgreSQL cluster runs on Linux only; elsewhere, configure a connection string.");
        }

        var say = Guarded(log);
        var total = Stopwatch.StartNew();
        var bin = PostgresBinaries.Locate();
        var asServiceUser = UnixProcesses.IsRoot;
        say(asServiceUser
            ? $"PostgreSQL programs: {bin} (run as '{Commands.ServiceUser}': this process is root)"
            : $"PostgreSQL programs: {bin}");
        var launcher = new Launcher(bin, asServiceUser, Path.GetFullPath(options.DataDirectory), options.Database, say);

        if (!File.Exists(Path.Combine(launcher.DataDirectory, "PG_VERSION")))
        {
            await launcher.InitializeAsync(options.Durable, ct).ConfigureAwait(false);
        }
        else
        {
            say($"Existing cluster in {launcher.DataDirectory}");
        }

        var (port, reused, socketDirectory) = await launcher.StartOrAttachAsync(options, ct).ConfigureAwait(false);
        var cluster = new PostgresCluster(launcher, port, reused, socketDirectory);
        try
        {
            await cluster.EnsureDatabaseAsync(ct).ConfigureAwait(false);
        }
        catch when (!reused)
        {
            await cluster.StopAsync(PostgresStopMode.Fast, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        say($"Cluster ready: {cluster.ConnectionString} ({total.ElapsedMilliseconds} ms in all)");
        return cluster;
    }

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

    /// <summary>Stops the server and waits until it has exited. Does nothing when it is already
    /// stopped, by this instance or otherwise.</summary>
    /// <exception cref="PostgresClusterException">The server is still running after <c>pg_ctl stop</c>.</exception>
    public async Task StopAsync(PostgresStopMode mode = PostgresStopMode.Fast, CancellationToken ct = default)
    {
        await _stopGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }

            // Pooled connections to a stopped server are dead; drop them so a later start is clean.
            using (var connection = new NpgsqlConnection(ConnectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }

            await _launcher.StopAsync(mode, ct).ConfigureAwait(false);
            _stopped = true;
            if (_socketDirectory is not null)
            {
                DeleteQuietly(_socketDirectory);
            }
        }
        finally
        {
            _stopGate.Release();
        }
    }

    /// <summary>Stops the server (fast); a <see cref="Temporary"/> cluster is stopped immediately
    /// and its directory deleted.</summary>
    public async ValueTask DisposeAsync()
    {
        var temporaryRoot = Interlocked.Exchange(ref _temporaryRoot, null);
        if (temporaryRoot is null)
        {
            await StopAsync(PostgresStopMode.Fast).ConfigureAwait(false);
            return;
        }

        await StopAsync(PostgresStopMode.Immediate).ConfigureAwait(false);
        DeleteQuietly(temporaryRoot);
        s_temporaries.TryRemove(this, out _);
        _launcher.Say($"Deleted {temporaryRoot}");
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = _launcher.Database });
        if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
        {
            return;
        }

        try
        {
            var watch = Stopwatch.StartNew();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(_launcher.Database)}", connection);
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            _launcher.Say($"Created database {_launcher.Database} in {watch.ElapsedMilliseconds} ms");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process starting on the same cluster created it first.
        }
    }

    /// <summary>Quotes a PostgreSQL identifier.</summary>
    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void Validate(PostgresClusterOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            throw new ArgumentException("A data directory is required.", nameof(options));
        }

        if (string.IsNullOrEmpty(options.Database) || Encoding.UTF8.GetByteCount(options.Database) > 63 || options.Database.Contains('\0'))
        {
            throw new ArgumentException("The database name must have 1 to 63 bytes.", nameof(options));
        }

        if (options.Port is < 1 or > 65535)
        {
            throw new ArgumentException("The port must be between 1 and 65535.", nameof(options));
        }

        if (options.MaxConnections < 1)
        {
            throw new ArgumentException("MaxConnections must be positive.", nameof(options));
        }
    }

    /// <summary>The caller's log, made harmless: a log that throws (a test's output after the
    /// test ended, say) must not stop a cluster from starting or stopping.</summary>
    private static Action<string> Guarded(Action<string>? log) => line =>
    {
        try
        {
            log?.Invoke(line);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Dropped: the line was only informative.
        }
    };

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

    /// <summary>The steps, for one data directory.</summary>
    private sealed class Launcher(string bin, bool asServiceUser, string dataDirectory, string database, Action<string> say)
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
