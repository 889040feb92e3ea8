using Npgsql;

namespace Lgsp.Bench;

// The floor: plain durable inserts of the same bytes on the same cluster, one commit each.
internal sealed partial class AcceptBench
{
    private async Task<(RunResult Run, CpuReading Cpu, long Bytes)> FloorRunAsync(byte[][] sample)
    {
        await ExecuteAsync("CREATE TABLE bench_floor (body bytea NOT NULL)");
        _floorColumn = await MirrorBodyStorageAsync();
        Say("Floor column: " + _floorColumn);
        await ExecuteAsync("CHECKPOINT");
        var connections = new NpgsqlConnection[_options.Clients];
        var commands = new NpgsqlCommand[_options.Clients];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = await _data.OpenConnectionAsync();
            commands[i] = new NpgsqlCommand("INSERT INTO bench_floor (body) VALUES ($1)", connections[i]);
            commands[i].Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea, Value = sample[0] });
            await commands[i].PrepareAsync();
        }

        try
        {
            var counters = new int[_options.Clients];
            var postmaster = PostmasterPid();
            var walBefore = await StartPgStatsAsync();
            var cpuBefore = CpuReading.Take(_hub.ProcessId, postmaster);
            var run = await TimedRun.RunAsync(_options.Clients, _options.Duration, async i =>
            {
                // Autocommit: one durable commit per row, as the hub commits once per package.
                commands[i].Parameters[0].Value = sample[(i * 7919 + counters[i]++) % sample.Length];
                await commands[i].ExecuteNonQueryAsync();
                return true;
            });
            var cpu = CpuReading.Take(_hub.ProcessId, postmaster) - cpuBefore;
            await EndPgStatsAsync(walBefore, "floor run", run.Completed, "bench_floor");
            var bytes = await ScalarAsync<long>("SELECT pg_total_relation_size('bench_floor')");
            Say($"Floor run: {run.Completed} inserts in {run.Elapsed.TotalSeconds:0.0} s, {run.PerSecond:0.0}/s, {run.Errors} errors {run.FirstError}");
            return (run, cpu, bytes);
        }
        finally
        {
            for (var i = 0; i < connections.Length; i++)
            {
                await commands[i].DisposeAsync();
                await connections[i].DisposeAsync();
            }
        }
    }
}
