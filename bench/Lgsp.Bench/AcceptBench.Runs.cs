using System.Diagnostics;
using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;

namespace Lgsp.Bench;

// The timed accept run and the fan-out, each against the hub process.
internal sealed partial class AcceptBench
{
    private async Task<(RunResult Run, CpuReading Cpu, StoredBytes Stored)> AcceptRunAsync(HttpClient[] clients, DemoSystem[] senders, Queue<Prepared>[] pool)
    {
        await ExecuteAsync("CHECKPOINT");
        var documentsBefore = await ScalarAsync<long>("SELECT count(*) FROM lgsp.package");
        var sizeBefore = await SizesAsync();
        var postmaster = PostmasterPid();
        var walBefore = await StartPgStatsAsync();
        var gc = StartGcWatch();
        var cpuBefore = CpuReading.Take(_hub.ProcessId, postmaster);
        var run = await TimedRun.RunAsync(_options.Clients, _options.Duration, i => SendAsync(clients[i], senders[i], pool[i]));
        var cpu = CpuReading.Take(_hub.ProcessId, postmaster) - cpuBefore;
        EndGcWatch(gc, run.Completed);
        await EndPgStatsAsync(walBefore, "accept run", run.Completed, "lgsp.package");
        var stored = await SizesAsync() - sizeBefore;
        var documents = await ScalarAsync<long>("SELECT count(*) FROM lgsp.package") - documentsBefore;
        Say($"Accept run: {run.Completed} accepted ({documents} stored) in {run.Elapsed.TotalSeconds:0.0} s, {run.PerSecond:0.0}/s, {run.Errors} errors {run.FirstError}");
        if (documents != run.Completed)
        {
            throw new InvalidOperationException($"{run.Completed} success answers but {documents} packages stored.");
        }

        return (run, cpu, stored);
    }

    private async Task FanoutAsync(HttpClient http)
    {
        var o = _options;
        var province = _demo.Systems.Single(s => s.Agencies.Contains(DemoProvince.Province));
        var packages = Enumerable.Range(0, o.FanoutRuns).Select(_ => Prepare(province, _communes)).ToList();
        await ExecuteAsync("CHECKPOINT");
        var before = await SizesAsync();
        var latencies = new List<TimeSpan>();
        var documentIds = new List<string>();
        foreach (var package in packages)
        {
            var watch = Stopwatch.StartNew();
            var answer = await EdocHttp.SendDocumentAsync(http, _hub.SoapUri, province.Id, province.Secret, package.Envelope);
            latencies.Add(watch.Elapsed);
            documentIds.Add(answer.DocumentId);
            if (answer.Duplicate)
            {
                throw new InvalidOperationException("A fan-out package was a duplicate.");
            }
        }

        var stored = await SizesAsync() - before;
        long deliveries;
        await using (var count = _data.CreateCommand("SELECT count(*) FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = ANY($1)"))
        {
            count.Parameters.AddWithValue(documentIds.ToArray());
            deliveries = (long)(await count.ExecuteScalarAsync())!;
        }
        var size = packages.Average(p => p.Package.Length);
        var runs = o.FanoutRuns;
        Line($"### Fan-out: one package to {_communes.Count} communes");
        Line();
        Line($"Package: {size / 1000:0.0} KB. Accept latency over {runs} sends, one at a time: median {Ms(Stats.Median(latencies))} "
            + $"(min {Ms(latencies.Min())}, max {Ms(latencies.Max())}). Delivery rows: {deliveries} ({deliveries / runs} per package).");
        Line();
        Line("| stored per fan-out package | bytes |");
        Line("|---|---|");
        Line($"| lgsp.package (with TOAST and indexes) | {Kb(stored.Package / runs)} |");
        Line($"| lgsp.delivery | {Kb(stored.Delivery / runs)} |");
        Line($"| lgsp.ledger | {Kb(stored.Ledger / runs)} |");
        Line($"| total | {Kb(stored.Total / runs)} (a copy per recipient would be {Kb((long)(size * _communes.Count))}) |");
        Line();
        Say($"Fan-out: median {Ms(Stats.Median(latencies))}, {Kb(stored.Total / runs)} stored per package");
    }
}
