namespace Lgsp.Postgres.Hosting;

/// <summary>How a program uses the hub's private cluster, when the hub's database is one.</summary>
public enum PrivateClusterUse
{
    /// <summary>The hub itself: the cluster is created when its directory holds none, and stopped when
    /// the database is closed, even when it was already running.</summary>
    Own,

    /// <summary>An operator's command: the cluster must exist; one that is not running is started and
    /// stopped again when the database is closed, and one that is running is left running.</summary>
    Borrow,
}

/// <summary>The hub's private cluster was to be borrowed (<see cref="PrivateClusterUse.Borrow"/>) but
/// its directory holds no cluster.</summary>
/// <param name="directory">The directory that holds no cluster.</param>
public sealed class PrivateClusterMissingException(string directory) : Exception($"{directory} holds no hub database.")
{
    /// <summary>The directory that holds no cluster.</summary>
    public string Directory { get; } = directory;
}
