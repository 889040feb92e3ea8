using System.Diagnostics;
using Lgsp.Server.Demo;

namespace Lgsp.Bench;

// The warm-up: the hub's JIT, pools and caches, and the rate that sizes the measured run's packages.
// Every package the hub accepts must be new to it (document id and bytes: a resent one is answered as a
// duplicate, which the bench counts as an error), so no package is sent twice: each half of the warm-up
// sends packages built and signed before it (the second half starts with what the first left unsent)
// and, when the hub has used them up before the half's end, builds more for the rest of the half at the
// rate seen so far. The building happens between two slices of sending, never during one, so the rate
// measured is the hub's alone; the half's rate is over its sending time.
internal sealed partial class AcceptBench
{
    // Before any rate is known: 1 200 packages in all (at least 40 a client), about 160 MB of requests.
    private const int FirstWarmupPackages = 1200;
    private const int FirstWarmupPerClient = 40;

    // At most this many packages are built at once (about 135 KB of SOAP request each: 270 MB); a long
    // warm-up at a fast hub takes several batches.
    private const int MaxWarmupPackages = 2000;

    // A batch is sized for the rest of the half at the rate seen so far, with this margin: the hub speeds up.
    private const double WarmupMargin = 1.25;

    /// <summary>One half of the warm-up; <paramref name="pool"/> is what an earlier half left unsent (still new
    /// to the hub), null for none. Returns what this half left unsent.</summary>
    private async Task<(RunResult Run, Queue<Prepared>[]? Left)> WarmUpAsync(HttpClient[] clients, DemoSystem[] senders, string half, TimeSpan length,
        double? rate, Queue<Prepared>[]? pool)
    {
        var n = clients.Length;
        var carried = pool?.Sum(q => q.Count) ?? 0;
        var slices = new List<RunResult>();
        var sending = TimeSpan.Zero;
        var building = TimeSpan.Zero;
        var built = 0;
        var batches = 0;
        while (sending < length)
        {
            if (pool is null || pool.Any(q => q.Count == 0))
            {
                var perSender = rate is { } r && r > 0
                    ? Math.Max(1, (int)Math.Ceiling(Math.Min(MaxWarmupPackages, r * WarmupMargin * (length - sending).TotalSeconds) / n))
                    : Math.Max(FirstWarmupPerClient, FirstWarmupPackages / n);
                pool = null;
                var watch = Stopwatch.StartNew();
                pool = Build(senders, perSender);
                building += watch.Elapsed;
                built += perSender * n;
                batches++;
            }

            var sendFrom = pool;
            var slice = await TimedRun.RunAsync(n, length - sending, i => SendAsync(clients[i], senders[i], sendFrom[i]));
            slices.Add(slice);
            sending += slice.Elapsed;
            if (slice.Completed == 0)
            {
                break;
            }

            rate = slices.Sum(s => s.Completed) / sending.TotalSeconds;
        }

        var warmup = new RunResult(n, sending, [.. slices.SelectMany(s => s.Latencies).Order()], slices.Sum(s => s.Errors),
            slices.Select(s => s.FirstError).FirstOrDefault(e => e is not null), RanOut: false);
        var sent = warmup.Completed + warmup.Errors;
        Say($"Warm-up, {half} half: {warmup.Completed} accepted in {sending.TotalSeconds:0.0} s of sending ({warmup.PerSecond:0.0}/s), {warmup.Errors} errors {warmup.FirstError}; "
            + $"{carried} packages left from before, {built} built and signed in {batches} batch(es) ({building.TotalSeconds:0.0} s, none while sending)");
        if (warmup.Completed == 0)
        {
            throw new InvalidOperationException($"Nothing was accepted during the warm-up's {half} half ({carried + built} packages at hand, {sent} sent): "
                + $"{warmup.FirstError}{Environment.NewLine}{_hub.Output}");
        }

        return (warmup, pool);
    }

    // The measured run's packages are built before it, so that signing does not share the cores with the
    // hub; a hub that outruns them would be measured over a shorter run than asked for.
    private InvalidOperationException PoolUsedUp(RunResult run, int perSender, double warmupRate) => new(
        $"The accept run used up the {perSender * run.Workers} packages built for it ({perSender} a client: {_options.PoolHeadroom:0.##} × the warm-up's "
        + $"{warmupRate:0.0}/s over {_options.Duration.TotalSeconds:0} s) after {run.Elapsed.TotalSeconds:0.0} s: {run.Completed} accepted ({run.PerSecond:0.0}/s), "
        + $"{run.Errors} errors. Raise --pool-headroom (now {_options.PoolHeadroom:0.##}) or lengthen --warmup (now {_options.Warmup.TotalSeconds:0} s) so that "
        + "the warm-up ends at the hub's settled rate.");
}
