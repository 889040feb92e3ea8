using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Schema;
using Lgsp.Postgres.Storage;
using Npgsql;

namespace Lgsp.Postgres.Hosting;

/// <summary>
/// The hub's database, open and migrated, with its stores: the one way the hub and the <c>lgsp</c>
/// command open it. It is the configured connection string, else the hub's private cluster
/// (<see cref="HubDatabaseLocation"/>), started when it is not running.
/// </summary>
/// <remarks>Closing it (<see cref="DisposeAsync"/>) closes its connections and stops the private cluster
/// as <see cref="PrivateClusterUse"/> says. The stores are thread safe.</remarks>
public sealed class HubDatabase : IAsyncDisposable
{
    private readonly PostgresCluster? _clusterToStop;

    private HubDatabase(string connectionString, PostgresCluster? cluster, PostgresCluster? clusterToStop)
    {
        ConnectionString = connectionString;
        Cluster = cluster;
        _clusterToStop = clusterToStop;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Directory = new PostgresDirectoryStore(DataSource, TimeProvider.System);
        Packages = new PostgresPackageStore(DataSource);
        Deliveries = new PostgresDeliveryStore(DataSource);
        Users = new PostgresConsoleUserStore(DataSource, TimeProvider.System);
        Calendar = new PostgresCalendarStore(DataSource, TimeProvider.System);
        Reports = new PostgresReportStore(DataSource);
    }

    /// <summary>The connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The private cluster, when the database is one.</summary>
    public PostgresCluster? Cluster { get; }

    /// <summary>True when the database is the hub's private cluster (the zero-configuration start).</summary>
    public bool OnPrivateCluster => Cluster is not null;

    /// <summary>The database's connections.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Agencies, hubs, client systems and trust material.</summary>
    public IDirectoryStore Directory { get; }

    /// <summary>Packages and deliveries.</summary>
    public IPackageStore Packages { get; }

    /// <summary>Push deliveries' attempts and replay.</summary>
    public PostgresDeliveryStore Deliveries { get; }

    /// <summary>The console's users.</summary>
    public IConsoleUserStore Users { get; }

    /// <summary>The operators' changes to the reports' working-day calendar.</summary>
    public ICalendarStore Calendar { get; }

    /// <summary>The report facts and their daily rollups.</summary>
    public IReportStore Reports { get; }

    /// <summary>Opens the database at <paramref name="location"/> (starting the private cluster when it
    /// is one and is not running) and brings its schema up to date.</summary>
    /// <param name="location">Where the database is.</param>
    /// <param name="use">How the private cluster is used, when the database is one.</param>
    /// <param name="log">Receives one line per step of the private cluster and the migrations applied.</param>
    /// <param name="ct">Cancels; a private cluster this call started is stopped again.</param>
    /// <exception cref="PrivateClusterMissingException">The private cluster is borrowed but does not exist.</exception>
    /// <exception cref="PostgresClusterException">The private cluster could not be created or started.</exception>
    /// <exception cref="ArgumentException">The connection string is not valid.</exception>
    /// <exception cref="NpgsqlException">The database cannot be reached, or a migration failed.</exception>
    public static async Task<HubDatabase> OpenAsync(HubDatabaseLocation location, PrivateClusterUse use, Action<string>? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        PostgresCluster? cluster = null;
        var connectionString = location.ConnectionString;
        if (connectionString is null)
        {
            var directory = await ClusterPlacement.ResolveAsync(
                location.ClusterDirectory ?? throw new ArgumentException("A location names a connection string or a cluster directory.", nameof(location)),
                use == PrivateClusterUse.Own ? location.FallbackRoot : null, line => log?.Invoke(line), ct).ConfigureAwait(false);
            if (use == PrivateClusterUse.Borrow && !File.Exists(Path.Combine(directory, "PG_VERSION")))
            {
                throw new PrivateClusterMissingException(directory);
            }

            cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = directory, Durable = true }, log, ct).ConfigureAwait(false);
            connectionString = cluster.ConnectionString;
        }

        try
        {
            // Unpooled: opening leaves no idle connection behind in the global pool.
            var applied = await Migrator.ApplyAsync(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString, ct)
                .ConfigureAwait(false);
            log?.Invoke($"schema: {applied} migration(s) applied, {Migrator.Scripts.Count} in all");
            return new HubDatabase(connectionString, cluster, use == PrivateClusterUse.Own || cluster is { Reused: false } ? cluster : null);
        }
        catch when (cluster is { Reused: false })
        {
            await cluster.StopAsync(PostgresStopMode.Fast, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the connections, then stops the private cluster when <see cref="PrivateClusterUse"/>
    /// says so. The hub calls it after its application is disposed: Hangfire still writes to the database
    /// while it shuts down.</summary>
    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        if (_clusterToStop is not null)
        {
            await _clusterToStop.StopAsync(PostgresStopMode.Fast, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
