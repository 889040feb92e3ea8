using Lgsp.Postgres.Cluster;
using Xunit.Abstractions;

namespace Lgsp.Postgres.Tests.Cluster;

/// <summary>A directory for clusters a test manages itself, deleted (servers stopped) afterwards.</summary>
internal sealed class Scratch : IAsyncDisposable
{
    private readonly List<PostgresCluster> _clusters = [];

    public Scratch()
    {
        Root = Directory.CreateTempSubdirectory("lgsp-pgtest-").FullName;
        // The postgres account (used when the tests run as root) must be able to pass through.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        }
    }

    public string Root { get; }

    public string Data => Path.Combine(Root, "data");

    /// <summary>Starts a cluster that <see cref="DisposeAsync"/> will stop.</summary>
    public async Task<PostgresCluster> StartAsync(PostgresClusterOptions options, ITestOutputHelper output)
    {
        var cluster = await PostgresCluster.StartAsync(options, output.WriteLine);
        _clusters.Add(cluster);
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cluster in _clusters)
        {
            await cluster.StopAsync(PostgresStopMode.Immediate);
        }

        Directory.Delete(Root, recursive: true);
    }
}
