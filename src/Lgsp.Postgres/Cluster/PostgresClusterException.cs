namespace Lgsp.Postgres.Cluster;

/// <summary>A private PostgreSQL cluster could not be found, created, started or stopped. The
/// message says what was attempted and, where the programs printed something, what they said.</summary>
public sealed class PostgresClusterException : Exception
{
    /// <summary>Creates the exception with a message that says what failed.</summary>
    public PostgresClusterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure underneath it.</summary>
    public PostgresClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
