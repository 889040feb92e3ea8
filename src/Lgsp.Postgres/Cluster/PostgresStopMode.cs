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
