namespace Lgsp.Edxml.Pdf.Syntax;

/// <summary>The kinds of token in PDF syntax (ISO 32000-1 §7.2, §7.3).</summary>
internal enum PdfTokenKind
{
    EndOfInput,
    Name,
    Integer,
    Real,
    LiteralString,
    HexString,
    ArrayStart,
    ArrayEnd,
    DictionaryStart,
    DictionaryEnd,
    Keyword,

    /// <summary>Bytes that form no token: a stray delimiter or an unterminated string.</summary>
    Invalid,
}

/// <summary>One token: its kind and its byte span in the source (end exclusive).</summary>
internal readonly record struct PdfToken(PdfTokenKind Kind, int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// Splits PDF bytes into tokens. Every call to <see cref="Next"/> advances by at least one byte
/// unless the input is exhausted, so any loop over the tokens of hostile input is linear in its size.
/// </summary>
/// <remarks>Not thread safe; one per scan.</remarks>
internal sealed class PdfLexer
{
    private readonly ReadOnlyMemory<byte> _data;

    public PdfLexer(ReadOnlyMemory<byte> data, int position = 0)
    {
        _data = data;
        Position = position;
    }

    /// <summary>The offset of the next byte to read.</summary>
    public int Position { get; set; }

    public ReadOnlyMemory<byte> Data => _data;

    public static bool IsWhitespace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'['
        or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    public static bool IsRegular(byte b) => !IsWhitespace(b) && !IsDelimiter(b);

    public PdfToken Next()
    {
        var s = _data.Span;
        SkipWhitespaceAndComments(s);
        var start = Position;
        if (start >= s.Length)
        {
            return new PdfToken(PdfTokenKind.EndOfInput, s.Length, s.Length);
        }

        var b = s[start];
        switch (b)
        {
            case (byte)'/':
                Position = start + 1;
                while (Position < s.Length && IsRegular(s[Position]))
                {
                    Position++;
                }

                return new PdfToken(PdfTokenKind.Name, start, Position);
            case (byte)'(':
                return ReadLiteralString(s, start);
            case (byte)'<':
                if (start + 1 < s.Length && s[start + 1] == '<')
                {
                    Position = start + 2;
                    return new PdfToken(PdfTokenKind.DictionaryStart, start, Position);
                }

                return ReadHexString(s, start);
            case (byte)'>':
                if (start + 1 < s.Length && s[start + 1] == '>')
                {
                    Position = start + 2;
                    return new PdfToken(PdfTokenKind.DictionaryEnd, start, Position);
                }

                Position = start + 1;
                return new PdfToken(PdfTokenKind.Invalid, start, Position);
            case (byte)'[':
                Position = start + 1;
                return new PdfToken(PdfTokenKind.ArrayStart, start, Position);
            case (byte)']':
                Position = start + 1;
                return new PdfToken(PdfTokenKind.ArrayEnd, start, Position);
            case (byte)'{' or (byte)'}':
                // PostScript calculator braces only occur inside function streams; treat as keywords.
                Position = start + 1;
                return new PdfToken(PdfTokenKind.Keyword, start, Position);
            case (byte)')':
                Position = start + 1;
                return new PdfToken(PdfTokenKind.Invalid, start, Position);
        }

        Position = start + 1;
        while (Position < s.Length && IsRegular(s[Position]))
        {
            Position++;
        }

        return new PdfToken(Classify(s[start..Position]), start, Position);
    }

    private static PdfTokenKind Classify(ReadOnlySpan<byte> word)
    {
        var i = 0;
        if (word[0] is (byte)'+' or (byte)'-')
        {
            i = 1;
        }

        var digits = 0;
        var dots = 0;
        for (; i < word.Length; i++)
        {
            if (word[i] is >= (byte)'0' and <= (byte)'9')
            {
                digits++;
            }
            else if (word[i] == '.')
            {
                dots++;
            }
            else
            {
                return PdfTokenKind.Keyword;
            }
        }

        return digits == 0 || dots > 1 ? PdfTokenKind.Keyword : dots == 0 ? PdfTokenKind.Integer : PdfTokenKind.Real;
    }

    private void SkipWhitespaceAndComments(ReadOnlySpan<byte> s)
    {
        var p = Position;
        while (p < s.Length)
        {
            if (IsWhitespace(s[p]))
            {
                p++;
            }
            else if (s[p] == '%')
            {
                var eol = s[p..].IndexOfAny((byte)'\r', (byte)'\n');
                p = eol < 0 ? s.Length : p + eol;
            }
            else
            {
                break;
            }
        }

        Position = p;
    }

    private PdfToken ReadLiteralString(ReadOnlySpan<byte> s, int start)
    {
        var depth = 0;
        var p = start;
        while (p < s.Length)
        {
            var c = s[p];
            if (c == '\\')
            {
                p += 2;
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                Position = p + 1;
                return new PdfToken(PdfTokenKind.LiteralString, start, Position);
            }

            p++;
        }

        Position = s.Length;
        return new PdfToken(PdfTokenKind.Invalid, start, Position);
    }

    private PdfToken ReadHexString(ReadOnlySpan<byte> s, int start)
    {
        var close = s[(start + 1)..].IndexOf((byte)'>');
        if (close < 0)
        {
            Position = s.Length;
            return new PdfToken(PdfTokenKind.Invalid, start, Position);
        }

        // Characters other than hex digits are kept in the token: whoever decodes the string
        // decides (a damaged signature /Contents must be reported, not make its dictionary vanish).
        Position = start + 1 + close + 1;
        return new PdfToken(PdfTokenKind.HexString, start, Position);
    }
}
