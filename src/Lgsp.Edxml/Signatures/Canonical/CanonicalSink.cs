using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Lgsp.Edxml.Signatures.Canonical;

/// <summary>Where canonical XML goes: UTF-8 into a fixed buffer that is handed to an incremental hash
/// (or any other consumer) whenever it fills, so the canonical form of a 50 MB package never exists
/// in memory as a whole. Applies the C14N escaping rules for text and attribute values.</summary>
/// <remarks>Not thread safe: one per canonicalisation.</remarks>
internal sealed class CanonicalSink
{
    private const int Size = 64 * 1024;

    // C14N 1.0 section 2.3: text escapes & < > and CR; attribute values escape & < " TAB LF CR.
    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\r");
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&<\"\t\n\r");

    private static readonly SearchValues<char> Placeholders = SearchValues.Create([LongRunElidingStream.PlaceholderStart, LongRunElidingStream.PlaceholderEnd]);

    private readonly Action<ReadOnlySpan<byte>> _consumer;
    private readonly byte[] _buffer = new byte[Size];
    // Stateful, so a surrogate pair split across two text chunks is encoded as one character.
    private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetEncoder();
    private int _used;

    /// <summary>A sink feeding <paramref name="consumer"/> with consecutive pieces of the output.</summary>
    public CanonicalSink(Action<ReadOnlySpan<byte>> consumer) => _consumer = consumer;

    /// <summary>A sink feeding <paramref name="hash"/>.</summary>
    public static CanonicalSink Hashing(IncrementalHash hash) => new(hash.AppendData);

    /// <summary>True while the document is read through a <see cref="LongRunElidingStream"/>: a
    /// placeholder character reaching the sink (in a name, an attribute value, a processing instruction,
    /// or text the canonicaliser did not take as a placeholder) is not written but gives up.</summary>
    public bool RefusePlaceholders { get; set; }

    /// <summary>Markup: names, delimiters, already-canonical text.</summary>
    public void Raw(ReadOnlySpan<char> text) => Encode(Checked(text));

    /// <summary>Character data of a text node (or part of one), escaped.</summary>
    public void Text(ReadOnlySpan<char> text) => Escaped(Checked(text), TextSpecials);

    /// <summary>An attribute or namespace value, escaped (without the quotes).</summary>
    public void AttributeValue(ReadOnlySpan<char> value) => Escaped(Checked(value), AttributeSpecials);

    /// <summary>Bytes already canonical and ASCII (an elided run of base64 text), written as they are.</summary>
    public void Verbatim(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= Size / 2)
        {
            // Large pieces go to the consumer directly, after what is buffered: no copy.
            if (_used > 0)
            {
                Hand();
            }

            _consumer(bytes);
            return;
        }

        if (Size - _used < bytes.Length)
        {
            Hand();
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    /// <summary>Hands the rest of the output to the consumer.</summary>
    public void Flush()
    {
        Encode([], flush: true);
        if (_used > 0)
        {
            Hand();
        }
    }

    private ReadOnlySpan<char> Checked(ReadOnlySpan<char> text) =>
        RefusePlaceholders && text.ContainsAny(Placeholders) ? throw new ElisionAbandonedException("a placeholder character outside text") : text;

    private void Escaped(ReadOnlySpan<char> text, SearchValues<char> specials)
    {
        while (!text.IsEmpty)
        {
            var at = text.IndexOfAny(specials);
            if (at < 0)
            {
                Encode(text);
                return;
            }

            Encode(text[..at]);
            Encode(text[at] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\t' => "&#x9;",
                '\n' => "&#xA;",
                _ => "&#xD;",
            });
            text = text[(at + 1)..];
        }
    }

    private void Encode(ReadOnlySpan<char> chars, bool flush = false)
    {
        while (true)
        {
            // Four bytes is the most one character needs (a surrogate pair); the encoder refuses less room.
            if (Size - _used < 4)
            {
                Hand();
            }

            _encoder.Convert(chars, _buffer.AsSpan(_used), flush, out var charsUsed, out var bytesUsed, out var completed);
            _used += bytesUsed;
            chars = chars[charsUsed..];
            if (chars.IsEmpty && (completed || !flush))
            {
                return;
            }

            if (charsUsed == 0 && bytesUsed == 0)
            {
                Hand();
            }
        }
    }

    private void Hand()
    {
        _consumer(_buffer.AsSpan(0, _used));
        _used = 0;
    }
}
