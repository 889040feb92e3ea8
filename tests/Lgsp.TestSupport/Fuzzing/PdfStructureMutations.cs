using System.Globalization;
using System.Text.RegularExpressions;

namespace Lgsp.TestSupport.Fuzzing;

/// <summary>Damage to what a PDF's structure and its signatures hang on: cross-reference offsets
/// (<c>startxref</c> and table entries), <c>/ByteRange</c> values, stream <c>/Length</c>s, object and
/// generation numbers of definitions and references.</summary>
public static partial class PdfStructureMutations
{
    /// <summary>Every PDF-aware mutation.</summary>
    public static IEnumerable<Mutation> All { get; } =
    [
        new("startxref offset changed", (input, random, _) => ReplaceNumber(input, random, StartXref())),
        new("cross-reference entry changed", (input, random, _) => ReplaceNumber(input, random, XrefEntry())),
        new("/ByteRange value changed", (input, random, _) => ReplaceNumber(input, random, ByteRangeNumber())),
        new("/ByteRange rewritten", RewriteByteRange),
        new("stream /Length changed", (input, random, _) => ReplaceNumber(input, random, StreamLength())),
        new("object number changed", (input, random, _) => ReplaceNumber(input, random, ObjectNumber())),
        new("reference changed", (input, random, _) => ReplaceNumber(input, random, Reference())),
    ];

    [GeneratedRegex(@"startxref\s+((?>\d{1,20}))")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"(\d{10}) \d{5} [nf]")]
    private static partial Regex XrefEntry();

    [GeneratedRegex(@"/ByteRange\s*\[\s*(?:-?(?>\d{1,20})\s+){0,8}?(-?(?>\d{1,20}))")]
    private static partial Regex ByteRangeNumber();

    [GeneratedRegex(@"/ByteRange\s*(\[[^\]]*\])")]
    private static partial Regex ByteRange();

    [GeneratedRegex(@"/Length\s+((?>\d{1,20}))")]
    private static partial Regex StreamLength();

    // Bounded, atomic digit runs: a signature's /Contents placeholder is thousands of zeros, on which
    // an unbounded (\d+)\s+ backtracks quadratically.
    [GeneratedRegex(@"(?<![\d.])((?>\d{1,10}))\s+(?>\d{1,5})\s+obj\b")]
    private static partial Regex ObjectNumber();

    [GeneratedRegex(@"(?<![\d.])((?>\d{1,10}))\s+(?>\d{1,5})\s+R\b")]
    private static partial Regex Reference();

    /// <summary>Numbers a parser of offsets and lengths must survive, relative to the file and the old value.</summary>
    private static string Interesting(FuzzRandom random, long old, int fileLength) => random.Next(14) switch
    {
        0 => "0",
        1 => "-1",
        2 => (old + 1).ToString(CultureInfo.InvariantCulture),
        3 => (old - 1).ToString(CultureInfo.InvariantCulture),
        4 => fileLength.ToString(CultureInfo.InvariantCulture),
        5 => (fileLength + 1).ToString(CultureInfo.InvariantCulture),
        6 => "2147483647",
        7 => "2147483648",
        8 => "4294967296",
        9 => "9223372036854775807",
        10 => "99999999999999999999999",
        11 => "-2147483648",
        12 => "3.5",
        _ => random.Next(fileLength + 1).ToString(CultureInfo.InvariantCulture),
    };

    private static byte[]? ReplaceNumber(byte[] input, FuzzRandom random, Regex pattern)
    {
        var text = Splicing.AsText(input);
        var matches = Landmarks.Near(pattern, text, random);
        if (matches.Count == 0)
        {
            return null;
        }

        var number = matches[random.Next(matches.Count)].Groups[1];
        var old = long.TryParse(number.Value, CultureInfo.InvariantCulture, out var value) ? value : 0;
        return Splicing.FromText(text.Remove(number.Index, number.Length).Insert(number.Index, Interesting(random, old, input.Length)));
    }

    private static byte[]? RewriteByteRange(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        var ranges = Landmarks.Near(ByteRange(), text, random);
        if (ranges.Count == 0)
        {
            return null;
        }

        var array = ranges[random.Next(ranges.Count)].Groups[1];
        var count = random.Pick(new[] { 0, 2, 3, 4, 4, 4, 5, 6, 8 });
        var numbers = Enumerable.Range(0, count).Select(_ => Interesting(random, 0, input.Length));
        var replacement = random.OneIn(8) ? "[0 1 2" : "[" + string.Join(' ', numbers) + "]";
        return Splicing.FromText(text.Remove(array.Index, array.Length).Insert(array.Index, replacement));
    }
}
