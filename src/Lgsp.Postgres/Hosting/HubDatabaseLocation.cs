namespace Lgsp.Postgres.Hosting;

/// <summary>Where the hub's database is: a configured connection string, else the hub's private
/// cluster in the <see cref="ClusterFolder"/> folder of its data directory.</summary>
/// <param name="ConnectionString">The connection string, or null for the private cluster.</param>
/// <param name="ClusterDirectory">The private cluster's data directory (absolute), when there is no connection string.</param>
/// <param name="Source">Where the choice came from (a setting, an option), for messages.</param>
public sealed record HubDatabaseLocation(string? ConnectionString, string? ClusterDirectory, string Source)
{
    /// <summary>The private cluster's folder in the hub's data directory.</summary>
    public const string ClusterFolder = "pg";

    /// <summary>Where the hub moves its private cluster when it runs as root and the <c>postgres</c>
    /// account cannot reach <see cref="ClusterDirectory"/> (<see cref="Cluster.ClusterPlacement"/>); null never
    /// moves it. A cluster moved before is found through its pointer file either way.</summary>
    public string? FallbackRoot { get; init; }

    /// <summary>The connection string when one is configured (not blank), else the private cluster in
    /// <paramref name="dataDirectory"/>.</summary>
    /// <param name="connectionString">The configured connection string, if any.</param>
    /// <param name="connectionStringSource">Where it was configured.</param>
    /// <param name="dataDirectory">The hub's data directory; a relative path is taken from the current directory.</param>
    /// <param name="dataDirectorySource">Where the data directory was configured.</param>
    public static HubDatabaseLocation Choose(string? connectionString, string connectionStringSource, string dataDirectory, string dataDirectorySource) =>
        !string.IsNullOrWhiteSpace(connectionString)
            ? new HubDatabaseLocation(connectionString, null, connectionStringSource)
            : new HubDatabaseLocation(null, Path.GetFullPath(Path.Combine(dataDirectory, ClusterFolder)), dataDirectorySource);
}
