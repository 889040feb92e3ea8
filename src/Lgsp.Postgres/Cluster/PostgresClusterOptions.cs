namespace Lgsp.Postgres.Cluster;

/// <summary>Where and how <see cref="PostgresCluster.StartAsync"/> runs a private cluster.</summary>
public sealed class PostgresClusterOptions
{
    /// <summary>The cluster's data directory (the one holding <c>PG_VERSION</c>). Created and
    /// initialised when it has no <c>PG_VERSION</c>; reused as it is otherwise. A relative path is
    /// taken from the current directory.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The loopback TCP port to listen on; null picks a free one. A cluster found already
    /// running keeps the port it has.</summary>
    public int? Port { get; init; }

    /// <summary>True (the default, for the server): every commit reaches the disk. False (for
    /// tests): <c>fsync</c>, <c>synchronous_commit</c> and <c>full_page_writes</c> off and no sync
    /// after initialisation, so a power loss may lose or corrupt the cluster.</summary>
    public bool Durable { get; init; } = true;

    /// <summary>The database created (when missing) and named by
    /// <see cref="PostgresCluster.ConnectionString"/>.</summary>
    public string Database { get; init; } = "lgsp";

    /// <summary>The server's <c>max_connections</c>.</summary>
    public int MaxConnections { get; init; } = 200;
}
