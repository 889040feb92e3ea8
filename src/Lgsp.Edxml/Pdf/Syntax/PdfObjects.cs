using System.Globalization;
using System.Text;

namespace Lgsp.Edxml.Pdf.Syntax;

/// <summary>A PDF object (ISO 32000-1 §7.3). Parsed objects remember their byte span in the source;
/// objects built in code have <see cref="Start"/> = -1.</summary>
internal abstract class PdfObject
{
    public int Start { get; init; } = -1;

    public int End { get; init; } = -1;
}

internal sealed class PdfName(string value) : PdfObject
{
    public string Value { get; } = value;

    public override string ToString() => "/" + Value;
}

internal sealed class PdfNumber(string text, bool isInteger) : PdfObject
{
    /// <summary>The number as written, kept so rewritten objects round-trip exactly.</summary>
    public string Text { get; } = text;

    public bool IsInteger { get; } = isInteger;

    public static PdfNumber Of(long value) => new(value.ToString(CultureInfo.InvariantCulture), true);

    public bool TryGetInt64(out long value)
    {
        value = 0;
        return IsInteger && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public override string ToString() => Text;
}

internal sealed class PdfBoolean(bool value) : PdfObject
{
    public bool Value { get; } = value;
}

internal sealed class PdfNull : PdfObject
{
    public static readonly PdfNull Instance = new();
}

/// <summary>A bare keyword where an object was expected (not valid PDF; kept so callers can report it).</summary>
internal sealed class PdfKeyword(string value) : PdfObject
{
    public string Value { get; } = value;
}

internal sealed class PdfReference(int number, int generation) : PdfObject
{
    public int Number { get; } = number;

    public int Generation { get; } = generation;

    public PdfObjectId Id => new(Number, Generation);

    public override string ToString() => $"{Number} {Generation} R";
}

/// <summary>An indirect object's number and generation.</summary>
internal readonly record struct PdfObjectId(int Number, int Generation);

/// <summary>A string object. The raw token (delimiters included) is kept, not decoded, so a
/// megabyte-long hex string costs nothing until someone asks for its bytes.</summary>
internal sealed class PdfString : PdfObject
{
    public PdfString(ReadOnlyMemory<byte> raw, bool isHex)
    {
        Raw = raw;
        IsHex = isHex;
    }

    /// <summary>The token as written, with its <c>( )</c> or <c>&lt; &gt;</c> delimiters.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public bool IsHex { get; }

    /// <summary>A string holding <paramref name="text"/>: a literal string when it is printable
    /// ASCII, else UTF-16BE with a byte order mark (ISO 32000-1 §7.9.2.2).</summary>
    public static PdfString FromText(string text)
    {
        if (text.All(c => c is >= ' ' and <= '~'))
        {
            return FromLiteralBytes(Encoding.ASCII.GetBytes(text));
        }

        var utf16 = Encoding.BigEndianUnicode.GetBytes(text);
        return FromHexBytes([0xFE, 0xFF, .. utf16]);
    }

    public static PdfString FromLiteralBytes(ReadOnlySpan<byte> bytes)
    {
        var raw = new List<byte>(bytes.Length + 2) { (byte)'(' };
        foreach (var b in bytes)
        {
            if (b is (byte)'(' or (byte)')' or (byte)'\\')
            {
                raw.Add((byte)'\\');
            }

            raw.Add(b);
        }

        raw.Add((byte)')');
        return new PdfString(raw.ToArray(), isHex: false);
    }

    public static PdfString FromHexBytes(ReadOnlySpan<byte> bytes) =>
        new(Encoding.ASCII.GetBytes("<" + Convert.ToHexString(bytes) + ">"), isHex: true);

    /// <summary>The string's bytes, escapes resolved.</summary>
    public byte[] DecodeBytes() => IsHex ? DecodeHex(Raw.Span[1..^1]) : DecodeLiteral(Raw.Span[1..^1]);

    /// <summary>The string as text: UTF-16BE or UTF-8 when it starts with a byte order mark, else
    /// PDFDocEncoding (read as Latin-1, which agrees with it on every letter that matters here).</summary>
    public string DecodeText()
    {
        var bytes = DecodeBytes();
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        }

        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        }

        return Encoding.Latin1.GetString(bytes);
    }

    /// <summary>Decodes hex digits, ignoring whitespace; an odd final digit is followed by 0 (§7.3.4.3).</summary>
    public static byte[] DecodeHex(ReadOnlySpan<byte> hex)
    {
        var result = new byte[(hex.Length + 1) / 2];
        var n = 0;
        var high = -1;
        foreach (var c in hex)
        {
            var v = HexValue(c);
            if (v < 0)
            {
                continue;
            }

            if (high < 0)
            {
                high = v;
            }
            else
            {
                result[n++] = (byte)((high << 4) | v);
                high = -1;
            }
        }

        if (high >= 0)
        {
            result[n++] = (byte)(high << 4);
        }

        return n == result.Length ? result : result[..n];
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static byte[] DecodeLiteral(ReadOnlySpan<byte> s)
    {
        var result = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\r')
            {
                // An end of line inside a literal string reads as a single line feed (§7.3.4.2).
                result.Add((byte)'\n');
                if (i + 1 < s.Length && s[i + 1] == '\n')
                {
                    i++;
                }

                continue;
            }

            if (c != '\\' || i + 1 >= s.Length)
            {
                result.Add(c);
                continue;
            }

            var e = s[++i];
            switch (e)
            {
                case (byte)'n': result.Add((byte)'\n'); break;
                case (byte)'r': result.Add((byte)'\r'); break;
                case (byte)'t': result.Add((byte)'\t'); break;
                case (byte)'b': result.Add((byte)'\b'); break;
                case (byte)'f': result.Add((byte)'\f'); break;
                case (byte)'\r':
                    if (i + 1 < s.Length && s[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                case (byte)'\n':
                    break;
                case >= (byte)'0' and <= (byte)'7':
                    var value = e - '0';
                    for (var k = 0; k < 2 && i + 1 < s.Length && s[i + 1] is >= (byte)'0' and <= (byte)'7'; k++)
                    {
                        value = (value * 8) + (s[++i] - '0');
                    }

                    result.Add((byte)value);
                    break;
                default:
                    result.Add(e);
                    break;
            }
        }

        return [.. result];
    }
}

internal sealed class PdfArray : PdfObject
{
    public PdfArray(List<PdfObject> items) => Items = items;

    public List<PdfObject> Items { get; }
}

/// <summary>A dictionary, keys in document order. A key written twice keeps its last value when
/// read through <see cref="Get"/>, as most readers do.</summary>
internal sealed class PdfDictionary : PdfObject
{
    public PdfDictionary(List<KeyValuePair<string, PdfObject>> entries) => Entries = entries;

    public PdfDictionary()
        : this([])
    {
    }

    public List<KeyValuePair<string, PdfObject>> Entries { get; }

    public PdfObject? Get(string key)
    {
        for (var i = Entries.Count - 1; i >= 0; i--)
        {
            if (Entries[i].Key == key)
            {
                return Entries[i].Value;
            }
        }

        return null;
    }

    public T? Get<T>(string key)
        where T : PdfObject => Get(key) as T;

    public string? GetName(string key) => Get<PdfName>(key)?.Value;

    /// <summary>Replaces the value of <paramref name="key"/> (every occurrence) or appends it.</summary>
    public void Set(string key, PdfObject value)
    {
        var found = false;
        for (var i = Entries.Count - 1; i >= 0; i--)
        {
            if (Entries[i].Key != key)
            {
                continue;
            }

            if (found)
            {
                Entries.RemoveAt(i);
            }
            else
            {
                Entries[i] = new(key, value);
                found = true;
            }
        }

        if (!found)
        {
            Entries.Add(new(key, value));
        }
    }
}
