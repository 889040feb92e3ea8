using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Schema;
using Lgsp.Postgres.Store;
using Npgsql;

namespace Lgsp.Cli.Hub;

/// <summary>Where the configured database is, decided as the server decides it.</summary>
/// <param name="ConnectionString">The connection string to use, or null for the private cluster.</param>
/// <param name="ClusterDirectory">The private cluster's data directory (absolute), when no connection string is configured.</param>
/// <param name="Source">How the choice was made, for messages.</param>
internal sealed record DatabaseChoice(string? ConnectionString, string? ClusterDirectory, string Source);

/// <summary>The hub's database could not be reached; the message says why and what to do.</summary>
internal sealed class HubUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An open, migrated hub database and its stores, shared by every command that changes or reads
/// the directory, the trust material or the deliveries.
/// </summary>
/// <remarks>
/// The database is, in order: the <c>--database</c> connection string; else the
/// <c>ConnectionStrings__Lgsp</c> environment variable (the server's <c>ConnectionStrings:Lgsp</c>);
/// else the hub's private cluster in <c>DIR/pg</c>, where DIR is <c>--data</c>, else
/// <c>Hub__DataDirectory</c>, else <c>./var</c>. A private cluster that is running is used as it is;
/// one that is not is started and stopped again on <see cref="DisposeAsync"/>.
/// </remarks>
internal sealed class HubConnection : IAsyncDisposable
{
    /// <summary>The server's connection string key, as an environment variable.</summary>
    public const string ConnectionStringVariable = "ConnectionStrings__Lgsp";

    /// <summary>The server's data directory setting, as an environment variable.</summary>
    public const string DataDirectoryVariable = "Hub__DataDirectory";

    /// <summary>The data directory when nothing else is configured, relative to the current directory.</summary>
    public const string DefaultDataDirectory = "var";

    private readonly PostgresCluster? _startedCluster;

    private HubConnection(NpgsqlDataSource dataSource, PostgresCluster? startedCluster)
    {
        DataSource = dataSource;
        _startedCluster = startedCluster;
        Directory = new PostgresDirectoryStore(dataSource, TimeProvider.System);
        Packages = new PostgresPackageStore(dataSource);
        Deliveries = new PostgresDeliveryStore(dataSource);
    }

    /// <summary>The database.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Agencies, client systems and trust material.</summary>
    public IDirectoryStore Directory { get; }

    /// <summary>Packages and deliveries.</summary>
    public IPackageStore Packages { get; }

    /// <summary>Push deliveries' attempts and replay.</summary>
    public PostgresDeliveryStore Deliveries { get; }

    /// <summary>Decides which database to use.</summary>
    /// <param name="database">The <c>--database</c> option, if given.</param>
    /// <param name="dataDirectory">The <c>--data</c> option, if given.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static DatabaseChoice Choose(string? database, string? dataDirectory, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(database))
        {
            return new DatabaseChoice(database, null, "--database");
        }

        if (environment(ConnectionStringVariable) is { } configured && !string.IsNullOrWhiteSpace(configured))
        {
            return new DatabaseChoice(configured, null, ConnectionStringVariable);
        }

        var (directory, source) = !string.IsNullOrWhiteSpace(dataDirectory)
            ? (dataDirectory, "--data")
            : environment(DataDirectoryVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment)
                ? (fromEnvironment, DataDirectoryVariable)
                : (DefaultDataDirectory, "the default data directory");
        return new DatabaseChoice(null, Path.GetFullPath(Path.Combine(directory, "pg")), source);
    }

    /// <summary>Opens the chosen database (starting the private cluster when it is not running) and
    /// brings its schema up to date.</summary>
    /// <param name="choice">From <see cref="Choose"/>.</param>
    /// <param name="say">Told when the private cluster is started.</param>
    /// <param name="ct">Cancels.</param>
    /// <exception cref="HubUnavailableException">There is no database, or it cannot be reached.</exception>
    public static async Task<HubConnection> OpenAsync(DatabaseChoice choice, Action<string> say, CancellationToken ct)
    {
        PostgresCluster? cluster = null;
        var connectionString = choice.ConnectionString;
        if (connectionString is null)
        {
            var directory = choice.ClusterDirectory!;
            if (!File.Exists(Path.Combine(directory, "PG_VERSION")))
            {
                throw new HubUnavailableException(
                    $"no database: {directory} holds no hub database; start the hub once with `dotnet run --project src/Lgsp.Server`, or pass --database");
            }

            try
            {
                cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = directory, Durable = true }, ct: ct);
            }
            catch (PostgresClusterException ex)
            {
                throw new HubUnavailableException($"the hub's database in {directory} could not be started: {ex.Message}", ex);
            }

            if (!cluster.Reused)
            {
                say($"Started the hub's database in {directory}; it is stopped again when this command ends.");
            }

            connectionString = cluster.ConnectionString;
        }

        NpgsqlDataSource? dataSource = null;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);

            // Unpooled: a short-lived command leaves no idle connection behind in the global pool.
            await Migrator.ApplyAsync(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString, ct);
            var connection = new HubConnection(dataSource, cluster is { Reused: false } ? cluster : null);
            dataSource = null;
            cluster = null;
            return connection;
        }
        catch (ArgumentException ex)
        {
            throw new HubUnavailableException($"the connection string from {choice.Source} is not valid: {ex.Message}", ex);
        }
        catch (NpgsqlException ex)
        {
            throw new HubUnavailableException($"the database from {choice.Source} cannot be used: {ex.Message}", ex);
        }
        finally
        {
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync();
            }

            if (cluster is { Reused: false })
            {
                await cluster.StopAsync(PostgresStopMode.Fast, CancellationToken.None);
            }
        }
    }

    /// <summary>Closes the connections, and stops the private cluster if this connection started it.</summary>
    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_startedCluster is not null)
        {
            await _startedCluster.StopAsync(PostgresStopMode.Fast, CancellationToken.None);
        }
    }
}
