namespace Lgsp.TestSupport.Fuzzing;

/// <summary>
/// The fuzzer's only source of randomness: SplitMix64, so that a campaign's seed and a mutation's
/// index give the same mutant on every machine and every .NET version (<see cref="Random"/> promises
/// neither).
/// </summary>
/// <remarks>Not thread safe; one per mutant.</remarks>
public sealed class FuzzRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The generator of mutant <paramref name="index"/> of the campaign <paramref name="seed"/>:
    /// each mutant has its own, so one can be replayed without the ones before it.</summary>
    public static FuzzRandom ForMutant(ulong seed, long index) => new(Mix(seed ^ Mix((ulong)index + 0x9E3779B97F4A7C15UL)));

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A number in [0, <paramref name="max"/>); 0 when <paramref name="max"/> is 0 or less.</summary>
    public int Next(int max) => max <= 0 ? 0 : (int)(NextUInt64() % (ulong)max);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max) => max <= min ? min : min + Next(max - min);

    /// <summary>True with probability 1 / <paramref name="n"/>.</summary>
    public bool OneIn(int n) => Next(n) == 0;

    /// <summary>One of <paramref name="items"/>.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A length skewed towards small values (most damage is small; some is not).</summary>
    public int SmallLength(int max) => Math.Min(max, OneIn(8) ? Next(1, Math.Max(2, max)) : Next(1, 9));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
