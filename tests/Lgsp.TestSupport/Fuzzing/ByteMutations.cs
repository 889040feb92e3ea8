namespace Lgsp.TestSupport.Fuzzing;

/// <summary>Damage that knows nothing of the format: flipped bits, bytes set to values parsers treat
/// specially, ranges inserted, deleted or repeated, cuts, and two inputs spliced together.</summary>
public static class ByteMutations
{
    /// <summary>Bytes parsers of XML, JSON, base64 and PDF give meaning to.</summary>
    public static readonly byte[] Interesting = [0x00, 0xFF, 0x7F, 0x80, (byte)'<', (byte)'>', (byte)'&', (byte)'"', (byte)'\'', (byte)'=', (byte)'/', (byte)'\\', (byte)'\r', (byte)'\n', (byte)' ', (byte)'%', (byte)'[', (byte)']', (byte)'{', (byte)'}', 0xC3, 0xEF];

    /// <summary>Every byte-level mutation.</summary>
    public static IEnumerable<Mutation> All { get; } =
    [
        new("bit flip", FlipBit),
        new("byte set to an interesting value", SetInteresting),
        new("random bytes inserted", InsertRandom),
        new("range deleted", DeleteRange),
        new("range duplicated", DuplicateRange),
        new("range overwritten from elsewhere", OverwriteRange),
        new("truncated", Truncate),
        new("spliced with another input", Splice),
    ];

    private static byte[]? FlipBit(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        if (input.Length == 0)
        {
            return null;
        }

        var copy = (byte[])input.Clone();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[]? SetInteresting(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        if (input.Length == 0)
        {
            return null;
        }

        var copy = (byte[])input.Clone();
        copy[random.Next(copy.Length)] = random.Pick(Interesting);
        return copy;
    }

    private static byte[]? InsertRandom(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var inserted = new byte[random.SmallLength(64)];
        for (var i = 0; i < inserted.Length; i++)
        {
            inserted[i] = random.OneIn(2) ? random.Pick(Interesting) : (byte)random.Next(256);
        }

        return Splicing.Insert(input, random.Next(input.Length + 1), inserted);
    }

    private static byte[]? DeleteRange(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        if (input.Length < 2)
        {
            return null;
        }

        var at = random.Next(input.Length);
        return Splicing.Replace(input, at, random.SmallLength(input.Length - at), []);
    }

    private static byte[]? DuplicateRange(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        if (input.Length == 0)
        {
            return null;
        }

        var at = random.Next(input.Length);
        var length = random.SmallLength(Math.Min(input.Length - at, 4096));
        var copies = random.OneIn(16) ? random.Next(2, 64) : 1;
        var repeated = Enumerable.Repeat(input[at..(at + length)], copies).SelectMany(b => b).ToArray();
        return Splicing.Insert(input, at + length, repeated);
    }

    private static byte[]? OverwriteRange(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        if (input.Length < 2)
        {
            return null;
        }

        var from = random.Next(input.Length);
        var to = random.Next(input.Length);
        var length = Math.Min(random.SmallLength(input.Length), Math.Min(input.Length - from, input.Length - to));
        var copy = (byte[])input.Clone();
        Array.Copy(input, from, copy, to, length);
        return copy;
    }

    private static byte[]? Truncate(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus) =>
        input.Length < 2 ? null : input[..random.Next(input.Length)];

    private static byte[]? Splice(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var other = random.Pick(corpus);
        if (input.Length == 0 || other.Length == 0)
        {
            return null;
        }

        var cut = random.Next(input.Length);
        var from = random.Next(other.Length);
        return [.. input.AsSpan(0, cut), .. other.AsSpan(from)];
    }
}

/// <summary>Copies with a range replaced, the one primitive every mutation builds on.</summary>
public static class Splicing
{
    /// <summary>A copy of <paramref name="input"/> with <paramref name="length"/> bytes at
    /// <paramref name="at"/> replaced by <paramref name="replacement"/>.</summary>
    public static byte[] Replace(byte[] input, int at, int length, ReadOnlySpan<byte> replacement)
    {
        var result = new byte[input.Length - length + replacement.Length];
        input.AsSpan(0, at).CopyTo(result);
        replacement.CopyTo(result.AsSpan(at));
        input.AsSpan(at + length).CopyTo(result.AsSpan(at + replacement.Length));
        return result;
    }

    /// <summary>A copy of <paramref name="input"/> with <paramref name="inserted"/> at <paramref name="at"/>.</summary>
    public static byte[] Insert(byte[] input, int at, ReadOnlySpan<byte> inserted) => Replace(input, at, 0, inserted);

    /// <summary>The bytes as text, one char per byte (Latin-1), so that text edits keep every other
    /// byte, UTF-8 sequences included, exactly as it was.</summary>
    public static string AsText(byte[] input) => System.Text.Encoding.Latin1.GetString(input);

    /// <summary>The inverse of <see cref="AsText"/>; chars above U+00FF must not occur.</summary>
    public static byte[] FromText(string text) => System.Text.Encoding.Latin1.GetBytes(text);

    /// <summary>A string's UTF-8 bytes as <see cref="AsText"/> chars, to insert non-ASCII text into a
    /// Latin-1 view.</summary>
    public static string Utf8AsText(string text) => AsText(System.Text.Encoding.UTF8.GetBytes(text));
}

/// <summary>Finds where a structure-aware mutation may act without scanning a large input whole each time.</summary>
public static class Landmarks
{
    private const int Window = 32 * 1024;

    /// <summary>The matches of <paramref name="pattern"/> in a random window of <paramref name="text"/>
    /// (the whole text when it is small, or when the window holds none).</summary>
    public static IReadOnlyList<System.Text.RegularExpressions.Match> Near(System.Text.RegularExpressions.Regex pattern, string text, FuzzRandom random)
    {
        if (text.Length > 2 * Window)
        {
            var start = random.Next(text.Length - Window);
            var found = new List<System.Text.RegularExpressions.Match>();
            for (var m = pattern.Match(text, start); m.Success && m.Index < start + Window; m = m.NextMatch())
            {
                found.Add(m);
            }

            if (found.Count > 0)
            {
                return found;
            }
        }

        return pattern.Matches(text);
    }
}
