using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Schema;

namespace Lgsp.Server.Hosting;

/// <summary>The database the hub runs on: <c>ConnectionStrings:Lgsp</c> when configured, otherwise a
/// private PostgreSQL cluster under <c>{DataDirectory}/pg</c>, created on the first start, reused on
/// the next, and stopped on shutdown. Migrations are applied either way.</summary>
public sealed class HubDatabase
{
    private HubDatabase(string connectionString, PostgresCluster? cluster)
    {
        ConnectionString = connectionString;
        Cluster = cluster;
    }

    /// <summary>The connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The private cluster, when the hub runs its own.</summary>
    public PostgresCluster? Cluster { get; }

    /// <summary>True when the hub runs its own cluster (the zero-configuration start).</summary>
    public bool IsEmbedded => Cluster is not null;

    /// <summary>Opens (and if need be starts) the database and migrates it.</summary>
    public static async Task<HubDatabase> OpenAsync(string? configured, string dataDirectory, Action<string> log, CancellationToken ct = default)
    {
        HubDatabase database;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            database = new HubDatabase(configured, null);
        }
        else
        {
            var cluster = await PostgresCluster.StartAsync(
                new PostgresClusterOptions { DataDirectory = Path.GetFullPath(Path.Combine(dataDirectory, "pg")), Durable = true }, log, ct);
            database = new HubDatabase(cluster.ConnectionString, cluster);
        }

        var applied = await Migrator.ApplyAsync(database.ConnectionString, ct);
        log($"schema: {applied} migration(s) applied, {Migrator.Scripts.Count} in all");
        return database;
    }

    /// <summary>Stops the private cluster, if the hub runs one. Call it after the application is
    /// disposed: Hangfire still writes to the database while it shuts down.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Cluster is not null)
        {
            await Cluster.StopAsync(PostgresStopMode.Fast, cancellationToken);
        }
    }
}
