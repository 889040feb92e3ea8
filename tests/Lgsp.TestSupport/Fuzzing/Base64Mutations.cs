using System.Text.RegularExpressions;

namespace Lgsp.TestSupport.Fuzzing;

/// <summary>Damage to the base64 runs of an input (a SOAP package, an edXML attachment, a PEM block):
/// bad padding, whitespace and escapes inside, characters outside the alphabet, lengths that are not a
/// multiple of four, runs emptied or doubled.</summary>
public static partial class Base64Mutations
{
    private static readonly string[] Foreign = ["!", "-", "_", "*", "%", "\u00e9", ".", "\0", "\u00ff", "&#65;", "&amp;", "<!---->", "=A", "===="];
    private static readonly string[] Spaces = [" ", "\t", "\r\n", "\n", "&#x20;", "&#13;", "  \r\n\t"];

    /// <summary>Every base64 mutation.</summary>
    public static IEnumerable<Mutation> All { get; } =
    [
        new("base64 padding broken", BreakPadding),
        new("whitespace inside base64", (input, random, _) => InsertInRun(input, random, random.Pick(Spaces))),
        new("non-alphabet character in base64", (input, random, _) => InsertInRun(input, random, random.Pick(Foreign))),
        new("base64 cut to a bad length", CutRun),
        new("base64 run emptied or doubled", EmptyOrDouble),
    ];

    [GeneratedRegex(@"[A-Za-z0-9+/]{32,}(?:[\r\n\t ]*[A-Za-z0-9+/]+)*={0,2}")]
    private static partial Regex Run();

    private static Match? PickRun(string text, FuzzRandom random)
    {
        var runs = Landmarks.Near(Run(), text, random);
        return runs.Count == 0 ? null : runs[random.Next(runs.Count)];
    }

    private static byte[]? BreakPadding(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickRun(text, random) is not { } run)
        {
            return null;
        }

        var end = run.Index + run.Length;
        var value = run.Value;
        return random.Next(4) switch
        {
            0 when value.EndsWith('=') => Splicing.FromText(text.Remove(end - 1, 1)),
            1 => Splicing.FromText(text.Insert(end, random.OneIn(2) ? "=" : "===")),
            2 => Splicing.FromText(text.Insert(run.Index + random.Next(run.Length), "=")),
            _ => Splicing.FromText(text.Insert(end, "=" + value[..Math.Min(8, value.Length)])),
        };
    }

    private static byte[]? InsertInRun(byte[] input, FuzzRandom random, string inserted)
    {
        var text = Splicing.AsText(input);
        return PickRun(text, random) is { } run
            ? Splicing.FromText(text.Insert(run.Index + random.Next(run.Length + 1), Splicing.Utf8AsText(inserted)))
            : null;
    }

    private static byte[]? CutRun(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickRun(text, random) is not { } run)
        {
            return null;
        }

        // One to three characters off the end: a length that is not a multiple of four.
        var cut = 1 + random.Next(3);
        return Splicing.FromText(text.Remove(run.Index + run.Length - cut, cut));
    }

    private static byte[]? EmptyOrDouble(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickRun(text, random) is not { } run)
        {
            return null;
        }

        return random.OneIn(2)
            ? Splicing.FromText(text.Remove(run.Index, run.Length))
            : Splicing.FromText(text.Insert(run.Index + run.Length, run.Value));
    }
}
