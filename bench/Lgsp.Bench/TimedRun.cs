using System.Diagnostics;

namespace Lgsp.Bench;

/// <summary>What a timed run measured.</summary>
/// <param name="Workers">Concurrent workers.</param>
/// <param name="Elapsed">From the start until the last worker stopped.</param>
/// <param name="Latencies">Every successful operation's latency, sorted.</param>
/// <param name="Errors">Failed operations.</param>
/// <param name="FirstError">The first failure, for the report.</param>
/// <param name="RanOut">True when a worker ran out of prepared work before the end.</param>
internal sealed record RunResult(int Workers, TimeSpan Elapsed, TimeSpan[] Latencies, int Errors, string? FirstError, bool RanOut)
{
    public int Completed => Latencies.Length;

    public double PerSecond => Completed / Elapsed.TotalSeconds;

    public TimeSpan Percentile(double p) => Stats.Percentile(Latencies, p);
}

/// <summary>Runs an operation in <c>workers</c> concurrent loops for a fixed time, timing each call.</summary>
internal static class TimedRun
{
    /// <summary>Runs until <paramref name="duration"/> has passed (calls in flight then finish).</summary>
    /// <param name="workers">Concurrent loops.</param>
    /// <param name="duration">How long to start new calls.</param>
    /// <param name="operation">One call by worker <c>i</c>; returns false when that worker has no more
    /// work; throws on failure.</param>
    public static async Task<RunResult> RunAsync(int workers, TimeSpan duration, Func<int, Task<bool>> operation)
    {
        var watch = Stopwatch.StartNew();
        var errors = 0;
        string? firstError = null;
        var ranOut = false;
        var perWorker = await Task.WhenAll(Enumerable.Range(0, workers).Select(i => Task.Run(async () =>
        {
            var latencies = new List<TimeSpan>(4096);
            while (watch.Elapsed < duration)
            {
                var started = watch.Elapsed;
                try
                {
                    if (!await operation(i))
                    {
                        ranOut = true;
                        break;
                    }

                    latencies.Add(watch.Elapsed - started);
                }
                catch (Exception ex)
                {
                    if (Interlocked.Increment(ref errors) == 1)
                    {
                        firstError = $"{ex.GetType().Name}: {ex.Message}";
                    }
                }
            }

            return latencies;
        })));
        var elapsed = watch.Elapsed;
        var all = perWorker.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new RunResult(workers, elapsed, all, errors, firstError, ranOut);
    }
}

internal static class Stats
{
    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToArray();
        return Percentile(sorted, 50);
    }
}
