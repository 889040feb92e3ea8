using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lgsp.Postgres.Cluster;
using Xunit.Abstractions;

namespace Lgsp.Postgres.Tests.Cluster;

public sealed class PostgresClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_cluster_starts_from_nothing_answers_and_stops_and_starting_again_on_its_directory_keeps_its_data()
    {
        await using var scratch = new Scratch();
        var options = new PostgresClusterOptions { DataDirectory = scratch.Data };

        var watch = Stopwatch.StartNew();
        var first = await scratch.StartAsync(options, output);
        output.WriteLine($"TIMING start from nothing (durable): {watch.ElapsedMilliseconds} ms");

        Assert.False(first.Reused);
        Assert.Equal(Path.GetFullPath(scratch.Data), first.DataDirectory);
        Assert.True(File.Exists(Path.Combine(scratch.Data, "PG_VERSION")));
        Assert.Equal(1, await Sql.ScalarAsync(first.ConnectionString, "SELECT 1"));
        Assert.Equal("lgsp", await Sql.ScalarAsync(first.ConnectionString, "SELECT current_database()"));
        Assert.Equal("on", await Sql.ScalarAsync(first.ConnectionString, "SHOW fsync"));
        Assert.Equal("127.0.0.1", await Sql.ScalarAsync(first.ConnectionString, "SHOW listen_addresses"));
        await Sql.ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the restart')");

        await first.StopAsync();
        Assert.False(File.Exists(Path.Combine(scratch.Data, "postmaster.pid")));
        await first.StopAsync(); // Idempotent.

        watch.Restart();
        var second = await scratch.StartAsync(options, output);
        output.WriteLine($"TIMING restart on the same directory: {watch.ElapsedMilliseconds} ms");

        Assert.False(second.Reused);
        Assert.Equal("before the restart", await Sql.ScalarAsync(second.ConnectionString, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task Starting_on_a_directory_whose_server_is_already_running_reuses_that_server()
    {
        await using var scratch = new Scratch();
        var options = new PostgresClusterOptions { DataDirectory = scratch.Data, Durable = false };
        var running = await scratch.StartAsync(options, output);
        await Sql.ExecuteAsync(running.ConnectionString, "CREATE TABLE marker (v int); INSERT INTO marker VALUES (42)");

        var watch = Stopwatch.StartNew();
        var attached = await scratch.StartAsync(new PostgresClusterOptions { DataDirectory = scratch.Data, Durable = false, Database = "other" }, output);
        output.WriteLine($"TIMING attach to a running server: {watch.ElapsedMilliseconds} ms");

        Assert.True(attached.Reused);
        Assert.Equal(running.Port, attached.Port);
        Assert.Equal(42, await Sql.ScalarAsync(attached.ConnectionStringFor("lgsp"), "SELECT v FROM marker"));
        Assert.Equal(1, await Sql.ScalarAsync(attached.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task A_cluster_whose_postmaster_was_killed_starts_again_on_the_same_directory_with_its_committed_data()
    {
        await using var scratch = new Scratch();
        var options = new PostgresClusterOptions { DataDirectory = scratch.Data };
        var crashed = await scratch.StartAsync(options, output);
        await Sql.ExecuteAsync(crashed.ConnectionString, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('committed before the crash')");
        var pid = int.Parse(File.ReadLines(Path.Combine(scratch.Data, "postmaster.pid")).First());

        // SIGKILL: no shutdown; the lock file, the shared memory and the children stay behind, and
        // the restart begins at once, while the children are still exiting.
        using (var postmaster = Process.GetProcessById(pid))
        {
            postmaster.Kill();
        }

        Assert.True(File.Exists(Path.Combine(scratch.Data, "postmaster.pid")));

        var watch = Stopwatch.StartNew();
        var restarted = await scratch.StartAsync(options, output);
        output.WriteLine($"TIMING restart after SIGKILL: {watch.ElapsedMilliseconds} ms");

        Assert.False(restarted.Reused);
        Assert.Equal("committed before the crash", await Sql.ScalarAsync(restarted.ConnectionString, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task A_lock_file_naming_a_live_process_that_is_no_server_of_the_directory_does_not_block_the_start()
    {
        await using var scratch = new Scratch();
        var options = new PostgresClusterOptions { DataDirectory = scratch.Data, Durable = false };
        var cluster = await scratch.StartAsync(options, output);
        var lockFile = Path.Combine(scratch.Data, "postmaster.pid");
        var lines = File.ReadAllLines(lockFile);
        await cluster.StopAsync();

        // The PID of a crashed server, recycled by an unrelated process of the same account:
        // PostgreSQL takes it for a live server and refuses to start.
        using var impostor = await SameAccountSleeperAsync();
        try
        {
            lines[0] = impostor.Pid.ToString();
            File.WriteAllLines(lockFile, lines);
            var log = new List<string>();

            var restarted = await PostgresCluster.StartAsync(options, line => { lock (log) { log.Add(line); } output.WriteLine(line); });
            await using (restarted)
            {
                Assert.Equal(1, await Sql.ScalarAsync(restarted.ConnectionString, "SELECT 1"));
                Assert.Contains(log, l => l.Contains("stale postmaster.pid", StringComparison.Ordinal) && l.Contains(impostor.Pid.ToString(), StringComparison.Ordinal));
            }
        }
        finally
        {
            impostor.Process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_lock_file_naming_a_process_that_is_gone_is_cleared_by_PostgreSQL_itself()
    {
        await using var scratch = new Scratch();
        var options = new PostgresClusterOptions { DataDirectory = scratch.Data, Durable = false };
        var cluster = await scratch.StartAsync(options, output);
        var lockFile = Path.Combine(scratch.Data, "postmaster.pid");
        var lines = File.ReadAllLines(lockFile);
        await cluster.StopAsync();

        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync(); // Our child, so reaped: the PID names nothing now.
        lines[0] = gone.Id.ToString();
        File.WriteAllLines(lockFile, lines);
        var log = new List<string>();

        var restarted = await scratch.StartAsync(options, new Recorder(output, log));

        Assert.Equal(1, await Sql.ScalarAsync(restarted.ConnectionString, "SELECT 1"));
        Assert.Contains(log, l => l.Contains($"PID {gone.Id}, which is gone", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("Removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_temporary_cluster_left_running_by_a_killed_test_run_is_stopped_and_deleted_by_the_next_one()
    {
        // What a killed test process leaves: a running server in a temporary directory whose owner is gone.
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        var abandoned = Directory.CreateTempSubdirectory("lgsp-pg-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(abandoned, (UnixFileMode)0b111_101_101);
        }

        var left = await PostgresCluster.StartAsync(
            new PostgresClusterOptions { DataDirectory = Path.Combine(abandoned, "data"), Durable = false }, output.WriteLine);
        // Written last: a sweep elsewhere in this run must not take the directory while it is being set up.
        await File.WriteAllTextAsync(Path.Combine(abandoned, "owner"), $"{gone.Id} 1\n");
        var pid = int.Parse(File.ReadLines(Path.Combine(left.DataDirectory, "postmaster.pid")).First());

        await using var next = await PostgresCluster.Temporary(output.WriteLine);

        Assert.False(Directory.Exists(abandoned));
        Assert.NotEqual(ProcessState.Alive, UnixProcesses.State(pid));
    }

    /// <summary>A process that sleeps as the account the server runs as (postgres when we are root).</summary>
    private static async Task<Sleeper> SameAccountSleeperAsync()
    {
        if (!UnixProcesses.IsRoot)
        {
            var process = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
            return new Sleeper(process, process.Id);
        }

        var runuser = Process.Start(new ProcessStartInfo("runuser", "-u postgres -- sleep 60") { UseShellExecute = false })!;
        var children = $"/proc/{runuser.Id}/task/{runuser.Id}/children";
        for (var i = 0; i < 100; i++)
        {
            var text = File.Exists(children) ? File.ReadAllText(children).Trim() : "";
            if (text.Length > 0)
            {
                return new Sleeper(runuser, int.Parse(text.Split(' ')[0]));
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException("runuser did not start sleep");
    }

    private sealed record Sleeper(Process Process, int Pid) : IDisposable
    {
        public void Dispose() => Process.Dispose();
    }

    [Fact]
    public async Task A_temporary_cluster_is_fast_to_start_and_its_directory_is_gone_after_dispose()
    {
        var watch = Stopwatch.StartNew();
        var cluster = await PostgresCluster.Temporary(output.WriteLine);
        output.WriteLine($"TIMING temporary cluster start: {watch.ElapsedMilliseconds} ms");
        var root = Path.GetDirectoryName(cluster.DataDirectory)!;

        Assert.Equal("off", await Sql.ScalarAsync(cluster.ConnectionString, "SHOW fsync"));
        Assert.Equal("off", await Sql.ScalarAsync(cluster.ConnectionString, "SHOW synchronous_commit"));
        Assert.Equal("off", await Sql.ScalarAsync(cluster.ConnectionString, "SHOW full_page_writes"));
        Assert.Equal("200", await Sql.ScalarAsync(cluster.ConnectionString, "SHOW max_connections"));

        watch.Restart();
        await cluster.DisposeAsync();
        output.WriteLine($"TIMING temporary cluster dispose: {watch.ElapsedMilliseconds} ms");

        Assert.False(Directory.Exists(root));
        await cluster.StopAsync(); // Still idempotent.
    }

    [Fact]
    public async Task A_data_directory_too_long_for_a_unix_socket_still_starts()
    {
        await using var scratch = new Scratch();
        var deep = Path.Combine(scratch.Root, new string('d', 60), new string('e', 60), "data");
        var cluster = await scratch.StartAsync(new PostgresClusterOptions { DataDirectory = deep, Durable = false }, output);

        var socketDirectory = (string)(await Sql.ScalarAsync(cluster.ConnectionString, "SHOW unix_socket_directories"))!;
        Assert.StartsWith(Path.GetTempPath(), socketDirectory + "/");
        Assert.True(Directory.Exists(socketDirectory));
        Assert.Equal(1, await Sql.ScalarAsync(cluster.ConnectionString, "SELECT 1"));

        await cluster.StopAsync();
        Assert.False(Directory.Exists(socketDirectory));
    }

    [Fact]
    public async Task An_explicit_port_that_is_taken_fails_with_a_message_naming_it()
    {
        await using var scratch = new Scratch();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<PostgresClusterException>(
            () => scratch.StartAsync(new PostgresClusterOptions { DataDirectory = scratch.Data, Port = port, Durable = false }, output));

        Assert.Contains($"Port {port}", error.Message);
        Assert.Contains("in use", error.Message);
    }

    [Fact]
    public async Task As_root_a_data_directory_the_postgres_account_cannot_reach_fails_with_a_message_saying_so()
    {
        if (!UnixProcesses.IsRoot)
        {
            return; // Only root hands the work to another account.
        }

        var closed = Directory.CreateTempSubdirectory("lgsp-pgtest-closed-").FullName; // 0700, owned by root
        try
        {
            var error = await Assert.ThrowsAsync<PostgresClusterException>(
                () => PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = Path.Combine(closed, "data"), Durable = false }, output.WriteLine));

            Assert.Contains("cannot reach", error.Message);
            Assert.Contains(closed, error.Message);
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }

    /// <summary>Shows the launcher's lines in the test output and keeps them for assertions.</summary>
    private sealed class Recorder(ITestOutputHelper output, List<string> lines) : ITestOutputHelper
    {
        public void WriteLine(string message)
        {
            lock (lines)
            {
                lines.Add(message);
            }

            output.WriteLine(message);
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
    }
}
