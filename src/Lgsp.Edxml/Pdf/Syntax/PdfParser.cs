using System.Text;

namespace Lgsp.Edxml.Pdf.Syntax;

/// <summary>
/// Reads PDF objects from tokens. Never rewinds the lexer, bounds nesting depth and the number of
/// objects built per call, and reports failure by returning null: hostile input costs linear time
/// and bounded memory, and never throws.
/// </summary>
/// <remarks>Not thread safe; one per scan.</remarks>
internal sealed class PdfParser
{
    /// <summary>Deepest nesting of arrays and dictionaries (real files nest a handful deep).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most objects built for one top-level value (a page tree node with every page is far below).</summary>
    public const int MaxObjectsPerValue = 200_000;

    private readonly PdfLexer _lexer;
    private readonly List<PdfToken> _lookahead = [];
    private int _budget;

    public PdfParser(ReadOnlyMemory<byte> data, int position = 0)
    {
        Data = data;
        _lexer = new PdfLexer(data, position);
    }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The offset after the last token consumed (peeked tokens are not consumed).</summary>
    public int Position => _lookahead.Count > 0 ? _lookahead[0].Start : _lexer.Position;

    /// <summary>Moves to <paramref name="position"/>, dropping peeked tokens.</summary>
    public void Seek(int position)
    {
        _lookahead.Clear();
        _lexer.Position = Math.Clamp(position, 0, Data.Length);
    }

    public PdfToken Next()
    {
        if (_lookahead.Count > 0)
        {
            var t = _lookahead[0];
            _lookahead.RemoveAt(0);
            return t;
        }

        return _lexer.Next();
    }

    public PdfToken Peek(int index = 0)
    {
        while (_lookahead.Count <= index)
        {
            _lookahead.Add(_lexer.Next());
        }

        return _lookahead[index];
    }

    public string Text(PdfToken token) => Encoding.Latin1.GetString(Data.Span[token.Start..token.End]);

    public bool IsKeyword(PdfToken token, string keyword) =>
        token.Kind == PdfTokenKind.Keyword && token.Length == keyword.Length && Text(token) == keyword;

    /// <summary>Reads the object that starts with <paramref name="first"/>; null when it is malformed
    /// or exceeds the limits.</summary>
    public PdfObject? ParseObject(PdfToken first)
    {
        _budget = MaxObjectsPerValue;
        return Parse(first, 0);
    }

    /// <summary>Reads the next object; null when it is malformed.</summary>
    public PdfObject? ParseObject() => ParseObject(Next());

    private PdfObject? Parse(PdfToken t, int depth)
    {
        if (--_budget < 0)
        {
            return null;
        }

        switch (t.Kind)
        {
            case PdfTokenKind.DictionaryStart:
                return depth >= MaxDepth ? null : ParseDictionary(t, depth + 1);
            case PdfTokenKind.ArrayStart:
                return depth >= MaxDepth ? null : ParseArray(t, depth + 1);
            case PdfTokenKind.Integer:
                var gen = Peek(0);
                var r = Peek(1);
                if (gen.Kind == PdfTokenKind.Integer && IsKeyword(r, "R")
                    && int.TryParse(Text(t), out var number) && int.TryParse(Text(gen), out var generation)
                    && number >= 0 && generation >= 0)
                {
                    Next();
                    Next();
                    return new PdfReference(number, generation) { Start = t.Start, End = r.End };
                }

                return new PdfNumber(Text(t), true) { Start = t.Start, End = t.End };
            case PdfTokenKind.Real:
                return new PdfNumber(Text(t), false) { Start = t.Start, End = t.End };
            case PdfTokenKind.Name:
                return new PdfName(DecodeName(Data.Span[(t.Start + 1)..t.End])) { Start = t.Start, End = t.End };
            case PdfTokenKind.LiteralString:
            case PdfTokenKind.HexString:
                return new PdfString(Data[t.Start..t.End], t.Kind == PdfTokenKind.HexString) { Start = t.Start, End = t.End };
            case PdfTokenKind.Keyword:
                var word = Text(t);
                return word switch
                {
                    "true" => new PdfBoolean(true) { Start = t.Start, End = t.End },
                    "false" => new PdfBoolean(false) { Start = t.Start, End = t.End },
                    "null" => new PdfNull { Start = t.Start, End = t.End },
                    _ => new PdfKeyword(word) { Start = t.Start, End = t.End },
                };
            default:
                return null;
        }
    }

    private PdfDictionary? ParseDictionary(PdfToken open, int depth)
    {
        var entries = new List<KeyValuePair<string, PdfObject>>();
        while (true)
        {
            var k = Next();
            if (k.Kind == PdfTokenKind.DictionaryEnd)
            {
                return new PdfDictionary(entries) { Start = open.Start, End = k.End };
            }

            if (k.Kind != PdfTokenKind.Name)
            {
                return null;
            }

            var key = DecodeName(Data.Span[(k.Start + 1)..k.End]);
            var v = Next();
            if (v.Kind == PdfTokenKind.DictionaryEnd)
            {
                // "<< /Key >>": a key without a value; read it as null, as lenient readers do.
                entries.Add(new(key, PdfNull.Instance));
                return new PdfDictionary(entries) { Start = open.Start, End = v.End };
            }

            var value = Parse(v, depth);
            if (value is null or PdfKeyword)
            {
                return null;
            }

            entries.Add(new(key, value));
        }
    }

    private PdfArray? ParseArray(PdfToken open, int depth)
    {
        var items = new List<PdfObject>();
        while (true)
        {
            var t = Next();
            if (t.Kind == PdfTokenKind.ArrayEnd)
            {
                return new PdfArray(items) { Start = open.Start, End = t.End };
            }

            var value = Parse(t, depth);
            if (value is null or PdfKeyword)
            {
                return null;
            }

            items.Add(value);
        }
    }

    /// <summary>Resolves <c>#xx</c> escapes in a name (§7.3.5).</summary>
    public static string DecodeName(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOf((byte)'#') < 0)
        {
            return Encoding.Latin1.GetString(raw);
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '#' && i + 2 < raw.Length
                && char.IsAsciiHexDigit((char)raw[i + 1]) && char.IsAsciiHexDigit((char)raw[i + 2]))
            {
                bytes.Add(Convert.FromHexString(Encoding.ASCII.GetString(raw.Slice(i + 1, 2)))[0]);
                i += 2;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }

        return Encoding.Latin1.GetString([.. bytes]);
    }
}
