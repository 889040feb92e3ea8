using System.Globalization;
using System.Text;

namespace Lgsp.Edxml.Tests.Pdf.Syntax;

/// <summary>
/// Deterministic damage to a PDF, the way transfers, careless tools and attackers damage files:
/// flipped bits, cuts, inserted and deleted bytes, changed digits. Most mutations land near the
/// structure a signature depends on (signature dictionaries, fields, objects, cross-reference data),
/// where a random offset would mostly hit compressed content or a signature's hex digits.
/// </summary>
internal static class PdfMutations
{
    private static readonly string[] Landmarks =
    [
        "/ByteRange", "/Contents", "/Sig", "/FT", "/V ", "/T ", "/Parent", "/Kids", "/AcroForm", "/Fields", "/SubFilter", "/M ",
        " obj", "endobj", " R", "xref", "trailer", "startxref", "/Prev", "/Size", "/Root", "stream", "endstream", "%%EOF", "<<", ">>", "[", "]",
    ];

    private static readonly byte[] PdfAlphabet = Encoding.ASCII.GetBytes("<>()[]/%\n\r 0123456789Robjendx#");

    /// <summary>The <paramref name="count"/> mutants of <paramref name="pdf"/> drawn from <paramref name="seed"/>, named by what was done where.</summary>
    public static IEnumerable<(string Name, byte[] Pdf)> Of(byte[] pdf, int count, int seed)
    {
        var random = new Random(seed);
        var landmarks = LandmarkOffsets(pdf);
        for (var i = 0; i < count; i++)
        {
            var near = NearLandmark(random, landmarks, pdf.Length);
            yield return (i % 6) switch
            {
                0 => FlipBit(pdf, random.Next(pdf.Length), random),
                1 => FlipBit(pdf, near, random),
                2 => Cut(pdf, 1 + random.Next(pdf.Length - 1)),
                3 => Insert(pdf, near, random),
                4 => Delete(pdf, near, 1 + random.Next(8)),
                _ => ChangeDigit(pdf, near, random),
            };
        }
    }

    private static List<int> LandmarkOffsets(byte[] pdf)
    {
        var offsets = new List<int>();
        foreach (var landmark in Landmarks)
        {
            var key = Encoding.ASCII.GetBytes(landmark);
            for (var at = pdf.AsSpan().IndexOf(key); at >= 0 && offsets.Count < 100_000;)
            {
                offsets.Add(at);
                var next = pdf.AsSpan(at + 1).IndexOf(key);
                at = next < 0 ? -1 : at + 1 + next;
            }
        }

        return offsets;
    }

    private static int NearLandmark(Random random, List<int> landmarks, int length) => landmarks.Count == 0
        ? random.Next(length)
        : Math.Clamp(landmarks[random.Next(landmarks.Count)] + random.Next(-8, 24), 0, length - 1);

    private static (string, byte[]) FlipBit(byte[] pdf, int at, Random random)
    {
        var copy = (byte[])pdf.Clone();
        var bit = random.Next(8);
        copy[at] ^= (byte)(1 << bit);
        return (Describe($"bit {bit} flipped at {at}"), copy);
    }

    private static (string, byte[]) Cut(byte[] pdf, int length) => (Describe($"cut at {length}"), pdf[..length]);

    private static (string, byte[]) Insert(byte[] pdf, int at, Random random)
    {
        var inserted = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => PdfAlphabet[random.Next(PdfAlphabet.Length)]).ToArray();
        return (Describe($"'{Encoding.ASCII.GetString(inserted)}' inserted at {at}"), [.. pdf[..at], .. inserted, .. pdf[at..]]);
    }

    private static (string, byte[]) Delete(byte[] pdf, int at, int count)
    {
        count = Math.Min(count, pdf.Length - at - 1);
        return (Describe($"{count} byte(s) deleted at {at}"), [.. pdf[..at], .. pdf[(at + count)..]]);
    }

    private static (string, byte[]) ChangeDigit(byte[] pdf, int near, Random random)
    {
        var digit = pdf.AsSpan(near).IndexOfAnyInRange((byte)'0', (byte)'9');
        if (digit < 0)
        {
            return FlipBit(pdf, near, random);
        }

        var copy = (byte[])pdf.Clone();
        var at = near + digit;
        copy[at] = (byte)('0' + ((copy[at] - '0' + 1 + random.Next(9)) % 10));
        return (Describe($"digit at {at} changed to {(char)copy[at]}"), copy);
    }

    private static string Describe(FormattableString what) => what.ToString(CultureInfo.InvariantCulture);
}
