using System.Diagnostics;
using System.Net;
using System.Text;
using Npgsql;

namespace Lgsp.Postgres.Cluster;

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
// This file is the lifecycle (start, attach, stop); watching and restarting a server that died is in
// PostgresCluster.Supervision.cs; throwaway clusters and the clean-up after them are
// in PostgresCluster.CleanUp.cs, the steps run with the PostgreSQL programs in PostgresCluster.Launcher*.cs.
public sealed partial class PostgresCluster : IAsyncDisposable
{
    /// <summary>The cluster's superuser; the only role it has.</summary>
    public const string UserName = "lgsp";

    /// <summary>The file, inside the data directory, the server logs to.</summary>
    public const string LogFileName = "server.log";

    private readonly Launcher _launcher;
    private readonly PostgresClusterOptions _options;
    private string? _socketDirectory;
    private readonly SemaphoreSlim _stopGate = new(1, 1);
    private string? _temporaryRoot;
    private bool _stopped;

    private PostgresCluster(Launcher launcher, PostgresClusterOptions options, int port, bool reused, string? socketDirectory)
    {
        _launcher = launcher;
        _options = options;
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
        var cluster = new PostgresCluster(launcher, options, port, reused, socketDirectory);
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
}
