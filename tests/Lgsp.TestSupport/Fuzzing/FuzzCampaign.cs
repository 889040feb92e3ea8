using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Lgsp.TestSupport.Fuzzing;

/// <summary>The bounds every mutant of a campaign must stay within.</summary>
/// <param name="TimePerInput">Longest a single input may take (a failure names it).</param>
/// <param name="BytesPerInputByte">Allocation allowed per byte of input.</param>
/// <param name="FixedBytes">Allocation allowed on top, whatever the input (the parser's own limits:
/// buffers, pools, schema sets).</param>
public sealed record FuzzBounds(TimeSpan TimePerInput, double BytesPerInputByte, long FixedBytes)
{
    /// <summary>The allocation allowed for an input of <paramref name="length"/> bytes.</summary>
    public long AllocationFor(int length) => FixedBytes + (long)(BytesPerInputByte * length);
}

/// <summary>What a campaign saw: mutants run and how each answer was classified.</summary>
public sealed record FuzzReport(string Target, ulong Seed, int Mutants, IReadOnlyDictionary<string, int> Outcomes, TimeSpan Elapsed, TimeSpan InTarget, long MaxAllocated)
{
    /// <summary>One line per outcome, most frequent first.</summary>
    public override string ToString() =>
        $"{Target}: {Mutants} mutants from seed {Seed} in {Elapsed.TotalSeconds:F1} s ({InTarget.TotalSeconds:F1} s in the parser), largest allocation {MaxAllocated / 1024} KiB\n"
        + string.Join('\n', Outcomes.OrderByDescending(o => o.Value).Select(o => $"  {o.Value,6} {o.Key}"));
}

/// <summary>
/// Runs a parser over <see cref="Iterations"/> mutants of a corpus and fails on the first mutant that
/// throws what the parser does not document, takes longer than its bound, allocates beyond its bound, or
/// breaks an invariant the test states. A failure names the seed, the mutant's index and its mutations,
/// saves the mutant (and a shrunk copy) to a file, and says how to replay it.
/// </summary>
/// <remarks>
/// <para>Environment: <c>LGSP_FUZZ_ITERATIONS</c> (mutants per campaign, default 10 000),
/// <c>LGSP_FUZZ_SEED</c> (a campaign's seed, default the target's fixed seed), <c>LGSP_FUZZ_ONLY</c>
/// (run only that mutant index: the replay).</para>
/// <para>A watchdog ends the test process when one input runs longer than
/// <see cref="HangAfter"/>: a parser that hangs cannot be stopped from outside, and a test run that
/// never ends names nothing. The process exits with the seed and index on standard error.</para>
/// <para>Allocation is measured on the calling thread, so the target must run synchronously on it
/// (async parsers over a <see cref="MemoryStream"/> complete synchronously).</para>
/// </remarks>
public static class FuzzCampaign
{
    /// <summary>How long one input may run before the watchdog ends the process.</summary>
    public static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(60);

    /// <summary>Mutants per campaign: <c>LGSP_FUZZ_ITERATIONS</c>, default 10 000.</summary>
    public static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("LGSP_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10_000;

    /// <summary>The answer of a target to one input: <see cref="Accepted"/>, or a documented refusal's code.</summary>
    public const string Accepted = "accepted";

    /// <summary>Runs the campaign.</summary>
    /// <param name="target">The parser's name, for reports and the replay command.</param>
    /// <param name="defaultSeed">The seed CI uses (overridden by <c>LGSP_FUZZ_SEED</c>).</param>
    /// <param name="corpus">The inputs mutants are made from.</param>
    /// <param name="mutator">How they are damaged.</param>
    /// <param name="bounds">Time and allocation per input.</param>
    /// <param name="run">Runs the parser on one mutant (its bytes, and the corpus input it came from) and classifies the answer: <see cref="Accepted"/> or a
    /// documented refusal's code. Throws for anything undocumented (an exception escaping is a failure) and
    /// fails an assertion when an invariant breaks.</param>
    /// <returns>What the campaign saw.</returns>
    public static FuzzReport Run(string target, ulong defaultSeed, IReadOnlyList<byte[]> corpus, Mutator mutator, FuzzBounds bounds, Func<Mutant, string> run)
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("LGSP_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : defaultSeed;
        var only = long.TryParse(Environment.GetEnvironmentVariable("LGSP_FUZZ_ONLY"), NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : (long?)null;
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        long maxAllocated = 0;
        var inTarget = TimeSpan.Zero;
        var count = 0;

        using var watchdog = new Watchdog(target, seed);
        for (long index = only ?? 0; index < (only is null ? Iterations : only + 1); index++)
        {
            var mutant = mutator.Mutate(corpus, FuzzRandom.ForMutant(seed, index));
            watchdog.Start(index, mutant);
            var started = Stopwatch.GetTimestamp();
            var before = GC.GetAllocatedBytesForCurrentThread();
            string outcome;
            try
            {
                outcome = run(mutant);
            }
            catch (Exception ex)
            {
                watchdog.Stop();
                throw Failure(target, seed, index, mutant, $"undocumented {ex.GetType().Name}: {ex.Message}", run, ex);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var elapsed = Stopwatch.GetElapsedTime(started);
            watchdog.Stop();
            if (elapsed > bounds.TimePerInput)
            {
                throw Failure(target, seed, index, mutant, $"took {elapsed.TotalMilliseconds:F0} ms, over {bounds.TimePerInput.TotalMilliseconds:F0} ms", null, null);
            }

            if (allocated > bounds.AllocationFor(mutant.Bytes.Length))
            {
                throw Failure(target, seed, index, mutant, $"allocated {allocated} bytes for {mutant.Bytes.Length} bytes of input, over {bounds.AllocationFor(mutant.Bytes.Length)}", null, null);
            }

            maxAllocated = Math.Max(maxAllocated, allocated);
            inTarget += elapsed;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            count++;
        }

        return new FuzzReport(target, seed, count, outcomes, clock.Elapsed, inTarget, maxAllocated);
    }

    private static FuzzFailure Failure(string target, ulong seed, long index, Mutant mutant, string what, Func<Mutant, string>? run, Exception? inner)
    {
        var folder = Directory.CreateTempSubdirectory("lgsp-fuzz-");
        var saved = Path.Combine(folder.FullName, $"{Safe(target)}-{seed}-{index}.bin");
        File.WriteAllBytes(saved, mutant.Bytes);
        var shrunk = "";
        if (run is not null && inner is not null)
        {
            var small = Shrink(mutant, run, inner.GetType());
            var path = Path.Combine(folder.FullName, $"{Safe(target)}-{seed}-{index}.shrunk.bin");
            File.WriteAllBytes(path, small);
            shrunk = $"\nShrunk to {small.Length} bytes (same exception type): {path}\n{Preview(small)}";
        }

        return new FuzzFailure(
            $"Fuzzing {target}: mutant {index} of seed {seed} {what}.\nMutations: {mutant.Describe()}\nInput ({mutant.Bytes.Length} bytes): {saved}"
            + shrunk
            + $"\nReplay: LGSP_FUZZ_SEED={seed} LGSP_FUZZ_ONLY={index} dotnet test --filter \"FullyQualifiedName~Fuzz\"",
            inner);
    }

    /// <summary>A smaller input that still throws <paramref name="type"/>: ranges removed while the
    /// exception stays, halving the range each round (bounded work).</summary>
    private static byte[] Shrink(Mutant mutant, Func<Mutant, string> run, Type type)
    {
        bool StillFails(byte[] candidate)
        {
            try
            {
                run(mutant with { Bytes = candidate });
                return false;
            }
            catch (Exception ex)
            {
                return ex.GetType() == type;
            }
        }

        var current = mutant.Bytes;
        var tries = 0;
        for (var chunk = Math.Max(1, current.Length / 2); chunk >= 1 && tries < 4000; chunk /= 2)
        {
            for (var at = 0; at < current.Length && tries < 4000; tries++)
            {
                var candidate = Splicing.Replace(current, at, Math.Min(chunk, current.Length - at), []);
                if (StillFails(candidate))
                {
                    current = candidate;
                }
                else
                {
                    at += chunk;
                }
            }
        }

        return current;
    }

    private static string Preview(byte[] bytes) =>
        bytes.Length <= 2048 ? Encoding.Latin1.GetString(bytes).Replace("\0", "\\0", StringComparison.Ordinal) : "(too long to show)";

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '-'));

    /// <summary>Ends the process when one input runs past <see cref="HangAfter"/>.</summary>
    private sealed class Watchdog : IDisposable
    {
        private readonly Timer _timer;
        private readonly string _target;
        private readonly ulong _seed;
        private long _index = -1;
        private long _since;
        private string _steps = "";

        public Watchdog(string target, ulong seed)
        {
            _target = target;
            _seed = seed;
            _timer = new Timer(_ => Check(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        public void Start(long index, Mutant mutant)
        {
            _steps = mutant.Describe();
            Volatile.Write(ref _since, Stopwatch.GetTimestamp());
            Volatile.Write(ref _index, index);
        }

        public void Stop() => Volatile.Write(ref _index, -1);

        public void Dispose() => _timer.Dispose();

        private void Check()
        {
            var index = Volatile.Read(ref _index);
            if (index >= 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref _since)) > HangAfter && Volatile.Read(ref _index) == index)
            {
                var message = $"Fuzzing {_target}: mutant {index} of seed {_seed} hangs (over {HangAfter.TotalSeconds:F0} s). Mutations: {_steps}. "
                    + $"Replay: LGSP_FUZZ_SEED={_seed} LGSP_FUZZ_ONLY={index}";
                Console.Error.WriteLine(message);
                Environment.FailFast(message);
            }
        }
    }
}

/// <summary>A mutant broke a bound or an invariant; the message says which and how to replay it.</summary>
public sealed class FuzzFailure(string message, Exception? inner) : Exception(message, inner);
