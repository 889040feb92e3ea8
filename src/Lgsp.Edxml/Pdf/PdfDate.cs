using System.Globalization;

namespace Lgsp.Edxml.Pdf;

/// <summary>PDF date strings (ISO 32000-1 §7.9.4): <c>D:YYYYMMDDHHmmSSOHH'mm'</c>.</summary>
/// <remarks>Stateless and thread safe.</remarks>
public static class PdfDate
{
    /// <summary>Reads a PDF date. Every field after the year is optional, as is the <c>D:</c>
    /// prefix; <c>O</c> is <c>+</c>, <c>-</c> or <c>Z</c>; the apostrophes around and after the offset
    /// minutes are optional. A date without an offset is read as UTC.</summary>
    /// <param name="text">The decoded date string.</param>
    /// <param name="value">The instant, when the method returns true.</param>
    /// <returns>False when the text is not a PDF date or names an impossible instant.</returns>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.StartsWith("D:", StringComparison.Ordinal))
        {
            s = s[2..];
        }

        var p = 0;
        if (!Digits(s, ref p, 4, out var year))
        {
            return false;
        }

        var month = 1;
        var day = 1;
        var hour = 0;
        var minute = 0;
        var second = 0;
        _ = Digits(s, ref p, 2, out month, 1) && Digits(s, ref p, 2, out day, 1) && Digits(s, ref p, 2, out hour)
            && Digits(s, ref p, 2, out minute) && Digits(s, ref p, 2, out second);

        var offset = TimeSpan.Zero;
        if (p < s.Length)
        {
            var sign = s[p++];
            if (sign is '+' or '-')
            {
                if (!Digits(s, ref p, 2, out var oh))
                {
                    return false;
                }

                var om = 0;
                if (p < s.Length && s[p] == '\'')
                {
                    p++;
                }

                _ = Digits(s, ref p, 2, out om);
                if (p < s.Length && s[p] == '\'')
                {
                    p++;
                }

                if (oh > 14 || om > 59)
                {
                    return false;
                }

                offset = new TimeSpan(oh, om, 0);
                if (sign == '-')
                {
                    offset = -offset;
                }
            }
            else if (sign == 'Z')
            {
                // Some writers follow Z with 00'00'; it carries nothing.
                while (p < s.Length && (char.IsAsciiDigit(s[p]) || s[p] == '\''))
                {
                    p++;
                }
            }
            else
            {
                return false;
            }

            if (p != s.Length)
            {
                return false;
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month)
            || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="value"/> as <c>D:YYYYMMDDHHmmSS+HH'mm'</c> in its own offset (<c>Z</c> for UTC).</summary>
    public static string Format(DateTimeOffset value)
    {
        var text = value.ToString("'D:'yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        if (value.Offset == TimeSpan.Zero)
        {
            return text + "Z";
        }

        var o = value.Offset.Duration();
        return text + string.Create(CultureInfo.InvariantCulture, $"{(value.Offset < TimeSpan.Zero ? '-' : '+')}{o.Hours:D2}'{o.Minutes:D2}'");
    }

    private static bool Digits(string s, ref int p, int count, out int value, int missing = 0)
    {
        value = missing;
        if (p + count > s.Length || !s.AsSpan(p, count).ContainsOnlyAsciiDigits())
        {
            return false;
        }

        value = int.Parse(s.AsSpan(p, count), NumberStyles.None, CultureInfo.InvariantCulture);
        p += count;
        return true;
    }
}

file static class SpanDigits
{
    public static bool ContainsOnlyAsciiDigits(this ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
