using Lgsp.Cli.Hub;
using Lgsp.Postgres.Cluster;

namespace Lgsp.Cli.Tests.Hub;

/// <summary>Which database the commands use, and the hub's private cluster.</summary>
public sealed class HubConnectionTests : IDisposable
{
    private readonly string _dir;

    public HubConnectionTests()
    {
        _dir = Directory.CreateTempSubdirectory("lgsp-cli-hub-").FullName;
        // When the tests run as root, the cluster's programs run as the postgres account, which must pass through.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_database_option_wins_then_the_connection_string_variable_then_the_data_directory()
    {
        var environment = new Dictionary<string, string?>
        {
            [HubConnection.ConnectionStringVariable] = "Host=db;Database=lgsp",
            [HubConnection.DataDirectoryVariable] = "/srv/lgsp",
        };

        var option = HubConnection.Choose("Host=other", "/data", environment.GetValueOrDefault);
        var variable = HubConnection.Choose(null, "/data", environment.GetValueOrDefault);
        environment.Remove(HubConnection.ConnectionStringVariable);
        var data = HubConnection.Choose(null, "/data", environment.GetValueOrDefault);
        var dataVariable = HubConnection.Choose(null, null, environment.GetValueOrDefault);
        var fallback = HubConnection.Choose("", null, _ => null);

        Assert.Equal("Host=other", option.ConnectionString);
        Assert.Equal("Host=db;Database=lgsp", variable.ConnectionString);
        Assert.Equal((null, "/data/pg"), (data.ConnectionString, data.ClusterDirectory));
        Assert.Equal("/srv/lgsp/pg", dataVariable.ClusterDirectory);
        Assert.Equal(Path.GetFullPath(Path.Combine("var", "pg")), fallback.ClusterDirectory);
    }

    [Fact]
    public void Without_a_private_cluster_the_command_says_how_to_get_a_database()
    {
        if (Environment.GetEnvironmentVariable(HubConnection.ConnectionStringVariable) is { Length: > 0 })
        {
            return; // A configured database takes precedence over --data; nothing to check here.
        }

        var (exit, output, error) = CliRunner.Run("agencies", "list", "--data", _dir);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains($"no database: {Path.Combine(_dir, "pg")} holds no hub database", error);
        Assert.Contains("dotnet run --project src/Lgsp.Server", error);
        Assert.Contains("--database", error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "pg")));
    }

    [Fact]
    public async Task A_stopped_private_cluster_is_started_for_the_command_and_stopped_again_and_a_running_one_is_left_running()
    {
        if (Environment.GetEnvironmentVariable(HubConnection.ConnectionStringVariable) is { Length: > 0 })
        {
            return;
        }

        var pg = Path.Combine(_dir, "pg");
        var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = pg, Durable = false });
        try
        {
            await cluster.StopAsync();

            var (exit, _, error) = CliRunner.Run("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province", "--data", _dir);

            Assert.True(exit == 0, error);
            Assert.Contains("Started the hub's database", error);
            Assert.False(File.Exists(Path.Combine(pg, "postmaster.pid")), "the command should stop the cluster it started");

            var running = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = pg, Durable = false });
            cluster = running;
            var (listExit, listed, listError) = CliRunner.Run("agencies", "list", "--data", _dir);

            Assert.True(listExit == 0, listError);
            Assert.Contains("000.00.00.H56", listed);
            Assert.DoesNotContain("Started", listError);
            Assert.True(File.Exists(Path.Combine(pg, "postmaster.pid")), "a running cluster should be left running");
        }
        finally
        {
            await cluster.StopAsync(PostgresStopMode.Immediate);
        }
    }
}
