using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Hosting;
using Npgsql;

namespace Lgsp.Cli.Hub;

/// <summary>The hub's database could not be reached; the message says why and what to do.</summary>
internal sealed class HubUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Which hub database the commands use, and opening it (<see cref="HubDatabase"/>) with messages
/// that say what to do when it cannot be.
/// </summary>
/// <remarks>
/// The database is, in order: the <c>--database</c> connection string; else the
/// <c>ConnectionStrings__Lgsp</c> environment variable (the server's <c>ConnectionStrings:Lgsp</c>);
/// else the hub's private cluster in <c>DIR/pg</c> (or where <c>DIR/pg.location</c> says the hub put it
/// when it ran as root and the <c>postgres</c> account could not reach DIR), where DIR is <c>--data</c>, else
/// <c>Hub__DataDirectory</c>, else <c>./var</c>. The private cluster is borrowed
/// (<see cref="PrivateClusterUse.Borrow"/>): one that is running is used as it is; one that is not is
/// started and stopped again when the database is closed.
/// </remarks>
internal static class HubConnection
{
    /// <summary>The server's connection string key, as an environment variable.</summary>
    public const string ConnectionStringVariable = "ConnectionStrings__Lgsp";

    /// <summary>The server's data directory setting, as an environment variable.</summary>
    public const string DataDirectoryVariable = "Hub__DataDirectory";

    /// <summary>The data directory when nothing else is configured, relative to the current directory.</summary>
    public const string DefaultDataDirectory = "var";

    /// <summary>Decides which database to use.</summary>
    /// <param name="database">The <c>--database</c> option, if given.</param>
    /// <param name="dataDirectory">The <c>--data</c> option, if given.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static HubDatabaseLocation Choose(string? database, string? dataDirectory, Func<string, string?> environment)
    {
        var (connectionString, source) = !string.IsNullOrWhiteSpace(database)
            ? (database, "--database")
            : (environment(ConnectionStringVariable), ConnectionStringVariable);
        var (directory, directorySource) = !string.IsNullOrWhiteSpace(dataDirectory)
            ? (dataDirectory, "--data")
            : environment(DataDirectoryVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment)
                ? (fromEnvironment, DataDirectoryVariable)
                : (DefaultDataDirectory, "the default data directory");
        return HubDatabaseLocation.Choose(connectionString, source, directory, directorySource);
    }

    /// <summary>Opens the chosen database (starting the private cluster when it is not running) and
    /// brings its schema up to date.</summary>
    /// <param name="location">From <see cref="Choose"/>.</param>
    /// <param name="say">Told when the private cluster is started.</param>
    /// <param name="ct">Cancels.</param>
    /// <exception cref="HubUnavailableException">There is no database, or it cannot be reached.</exception>
    public static async Task<HubDatabase> OpenAsync(HubDatabaseLocation location, Action<string> say, CancellationToken ct)
    {
        HubDatabase database;
        try
        {
            database = await HubDatabase.OpenAsync(location, PrivateClusterUse.Borrow, ct: ct);
        }
        catch (PrivateClusterMissingException ex)
        {
            throw new HubUnavailableException(
                $"no database: {ex.Directory} holds no hub database; start the hub once with `dotnet run --project src/Lgsp.Server`, or pass --database", ex);
        }
        catch (PostgresClusterException ex)
        {
            throw new HubUnavailableException($"the hub's database in {location.ClusterDirectory} could not be started: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new HubUnavailableException($"the connection string from {location.Source} is not valid: {ex.Message}", ex);
        }
        catch (NpgsqlException ex)
        {
            throw new HubUnavailableException($"the database from {location.Source} cannot be used: {ex.Message}", ex);
        }

        if (database.Cluster is { Reused: false } cluster)
        {
            say($"Started the hub's database in {cluster.DataDirectory}; it is stopped again when this command ends.");
        }

        return database;
    }
}
