namespace Lgsp.TestSupport.Fuzzing;

/// <summary>One way of damaging an input: returns the damaged copy, or null when it does not apply
/// (no base64 run to bad-pad, no <c>/ByteRange</c> to change). Never changes its argument.</summary>
/// <param name="input">The bytes to damage.</param>
/// <param name="random">The mutant's generator.</param>
/// <param name="corpus">The whole corpus, for splicing.</param>
public delegate byte[]? MutationStep(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus);

/// <summary>A mutation with the name a failure report shows.</summary>
public sealed record Mutation(string Name, MutationStep Apply);

/// <summary>A damaged input, the mutations that made it, in order, and the corpus input it started from.</summary>
public sealed record Mutant(byte[] Bytes, IReadOnlyList<string> Steps, int Source)
{
    /// <summary>The steps, for a failure report.</summary>
    public string Describe() => string.Join(" + ", Steps);
}

/// <summary>
/// Stacks one to <see cref="MaxSteps"/> mutations drawn from its families on a corpus input. The
/// same generator gives the same mutant.
/// </summary>
/// <remarks>Immutable; thread safe.</remarks>
public sealed class Mutator
{
    private readonly IReadOnlyList<Mutation> _mutations;

    /// <summary>A mutator drawing from every mutation of <paramref name="families"/>.</summary>
    public Mutator(params IEnumerable<Mutation>[] families)
    {
        _mutations = families.SelectMany(f => f).ToList();
        if (_mutations.Count == 0)
        {
            throw new ArgumentException("A mutator needs at least one mutation.", nameof(families));
        }
    }

    /// <summary>Most mutations stacked on one input.</summary>
    public int MaxSteps { get; init; } = 3;

    /// <summary>Every mutation this mutator may apply.</summary>
    public IReadOnlyList<Mutation> Mutations => _mutations;

    /// <summary>A mutant of one corpus input chosen by <paramref name="random"/>.</summary>
    public Mutant Mutate(IReadOnlyList<byte[]> corpus, FuzzRandom random)
    {
        var source = random.Next(corpus.Count);
        var bytes = corpus[source];
        var steps = new List<string>();
        var count = 1 + random.Next(MaxSteps);
        for (var i = 0; i < count; i++)
        {
            // A mutation that does not apply gives way to another; byte damage always applies.
            for (var attempt = 0; attempt < 6; attempt++)
            {
                var mutation = random.Pick(_mutations);
                if (mutation.Apply(bytes, random, corpus) is { } damaged)
                {
                    bytes = damaged;
                    steps.Add(mutation.Name);
                    break;
                }
            }
        }

        return new Mutant(bytes, steps, source);
    }
}
