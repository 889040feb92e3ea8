using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lgsp.Postgres.Cluster;
using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>
/// Sets up a durable private cluster, the demo province (plus communes for the fan-out) and the hub in
/// its own process, then measures: the accept rate of signed ~100 KB packages from concurrent clients,
/// the floor of plain durable inserts of the same bytes on the same cluster, a fan-out, and a coarse
/// in-process profile of the accept path's CPU steps.
/// </summary>
internal sealed partial class AcceptBench : IAsyncDisposable
{
    private const int SampleBytesPerSender = 4;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly BenchOptions _options;
    private readonly string _root;
    private readonly PostgresCluster _cluster;
    private readonly NpgsqlDataSource _data;
    private readonly HubProcess _hub;
    private readonly DemoSetup _demo;
    private readonly string _pki;
    private readonly IReadOnlyList<string> _communes;
    private readonly StringBuilder _report = new();
    private int _number;

    private AcceptBench(BenchOptions options, string root, PostgresCluster cluster, NpgsqlDataSource data, HubProcess hub, DemoSetup demo, string pki,
        IReadOnlyList<string> communes)
    {
        _options = options;
        _root = root;
        _cluster = cluster;
        _data = data;
        _hub = hub;
        _demo = demo;
        _pki = pki;
        _communes = communes;
    }

    public async Task RunAsync()
    {
        var o = _options;
        var settings = await ScalarAsync<string>("SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', full_page_writes=' || current_setting('full_page_writes') || ', ' || version()");
        Line($"## Accept benchmark, {DateTime.Now:yyyy-MM-dd}");
        Line();
        Line($"Machine: {Environment.ProcessorCount} cores, {MemoryGiB()} GiB; cluster under {FileSystemOf(_root)}; {settings}.");
        Line($"Clients: {o.Clients}; duration {o.Duration.TotalSeconds:0} s per run; recipients per package: {o.Recipients}; hub log level: {o.HubLogLevel}"
            + (o.HubNpgsql is null ? "" : $"; hub connection string + \"{o.HubNpgsql}\"")
            + (o.HubSettings.Count == 0 ? "." : "; hub settings " + string.Join(", ", o.HubSettings.Select(kv => $"{kv.Key}={kv.Value}")) + "."));
        Line();

        var senders = Enumerable.Range(0, o.Clients).Select(i => _demo.Systems[i % _demo.Systems.Count]).ToArray();
        var clients = Enumerable.Range(0, o.Clients).Select(_ => new HttpClient { Timeout = TimeSpan.FromMinutes(2) }).ToArray();
        try
        {
            // Warm-up in two halves: the first for JIT, pools and caches; the second's rate sizes the
            // package pool of the measured run. Each half builds more packages when the hub has used them up;
            // the second starts with what the first left unsent.
            var (first, left) = await WarmUpAsync(clients, senders, "first", o.Warmup / 2, rate: null, pool: null);
            var (warmup, _) = await WarmUpAsync(clients, senders, "second", o.Warmup / 2, first.PerSecond, left);

            await FanoutAsync(clients[0]);

            // The hub is still speeding up after the warm-up (tiered JIT): allow --pool-headroom times the rate.
            var perSender = (int)Math.Ceiling(warmup.PerSecond * o.PoolHeadroom * o.Duration.TotalSeconds / o.Clients) + 8;
            var watch = Stopwatch.StartNew();
            var pool = Build(senders, perSender);
            var sample = pool.SelectMany(q => q.Take(SampleBytesPerSender)).Select(p => p.Package).ToArray();
            Say($"Built and signed {perSender * o.Clients} packages ({sample.Average(p => p.Length) / 1000:0.0} KB on average) in {watch.Elapsed.TotalSeconds:0.0} s");

            var floorFirst = o.FloorFirst ? await FloorRunAsync(sample) : default;
            var accept = await AcceptRunAsync(clients, senders, pool);
            if (accept.Run.RanOut)
            {
                throw PoolUsedUp(accept.Run, perSender, warmup.PerSecond);
            }

            var floor = o.FloorFirst ? floorFirst : await FloorRunAsync(sample);
            Line("### Accept vs the physical floor");
            Line();
            Line("| run | per second | p50 | p99 | max | errors |");
            Line("|---|---|---|---|---|---|");
            Line($"| hub accepts (SOAP, {o.Recipients} recipients each) | {accept.Run.PerSecond:0.0} | {Ms(accept.Run.Percentile(50))} | {Ms(accept.Run.Percentile(99))} | {Ms(accept.Run.Percentile(100))} | {accept.Run.Errors} |");
            Line($"| floor: INSERT of the same bytes, one commit each | {floor.Run.PerSecond:0.0} | {Ms(floor.Run.Percentile(50))} | {Ms(floor.Run.Percentile(99))} | {Ms(floor.Run.Percentile(100))} | {floor.Run.Errors} |");
            Line();
            Line($"**Ratio: accepted/s ÷ floor inserts/s = {accept.Run.PerSecond / floor.Run.PerSecond:0.00}** ({accept.Run.PerSecond:0.0} / {floor.Run.PerSecond:0.0}; "
                + (o.FloorFirst ? "floor run first)." : "accept run first).") + $" The floor's column: {_floorColumn}.");
            if (accept.Run.FirstError is not null || floor.Run.FirstError is not null)
            {
                Line($"First errors: {accept.Run.FirstError} {floor.Run.FirstError}");
            }

            Line();
            Line("Where the CPU went (CPU time per operation, from /proc; the machine's busy share over the run):");
            Line();
            Line("| run | hub process | PostgreSQL | load generator | machine busy | of which other processes |");
            Line("|---|---|---|---|---|---|");
            Line($"| accept | {Ms(accept.Cpu.Hub / accept.Run.Completed)} | {Ms(accept.Cpu.Postgres / accept.Run.Completed)} | {Ms(accept.Cpu.Bench / accept.Run.Completed)} | {accept.Cpu.BusyShare:P0} | {accept.Cpu.OtherShare:P0} |");
            Line($"| floor | – | {Ms(floor.Cpu.Postgres / floor.Run.Completed)} | {Ms(floor.Cpu.Bench / floor.Run.Completed)} | {floor.Cpu.BusyShare:P0} | {floor.Cpu.OtherShare:P0} |");
            Line();
            Line($"Stored per accepted package: {Kb(accept.Stored.Total / accept.Run.Completed)} (package {Kb(accept.Stored.Package / accept.Run.Completed)}, "
                + $"deliveries {Kb(accept.Stored.Delivery / accept.Run.Completed)}, ledger {Kb(accept.Stored.Ledger / accept.Run.Completed)}); "
                + $"the floor stored {Kb(floor.Bytes / floor.Run.Completed)} per insert.");
            Line();
            WritePgStats();
            WriteGc();

            await ProfileAsync(sample);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        Console.Write(_report.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _data.DisposeAsync();
        await _cluster.StopAsync(PostgresStopMode.Immediate);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Say($"Could not delete {_root}: {ex.Message}");
        }
    }
}
