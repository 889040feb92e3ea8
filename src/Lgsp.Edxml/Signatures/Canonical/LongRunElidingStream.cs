using System.Buffers;
using System.Text;

namespace Lgsp.Edxml.Signatures.Canonical;

/// <summary>
/// Sits between a package's bytes and the XML reader of the digest pass and hands the reader, in place
/// of each long run of base64 text, a placeholder: U+E000, a random number of this pass
/// (<see cref="ElidedRuns.Nonce"/>, nine digits) and the run's number in decimal, U+E001. The
/// reader then passes a few characters where it would have scanned megabytes one character at a time;
/// the canonicaliser puts the run's bytes back, straight from the package (<see cref="ElidedRuns"/>).
/// </summary>
/// <remarks>
/// <para>Why it is exact: a run is only bytes of the base64 alphabet and LF, begins with a base64 byte
/// (not LF, so a CR before it is a line end on its own either way) after an ASCII byte (so no UTF-8
/// sequence is cut), and lies in character data or a CDATA section, never in markup, a reference, a
/// comment or a processing instruction. The XML reader turns such bytes into the same characters
/// (nothing to normalise, decode or replace: no CR, no &amp;), and C14N writes those characters back
/// as the same bytes (nothing to escape). So the canonical form with the run put back is the canonical
/// form of the package.</para>
/// <para>Why a placeholder cannot be forged: the stream gives up (<see cref="ElisionAbandonedException"/>,
/// the caller then runs the exact path) when the package holds the bytes of U+E000 or U+E001 anywhere,
/// a character reference to either in text, or is not UTF-8 (a byte-order mark or XML declaration
/// naming another encoding: then it only passes the bytes through, and a placeholder character seen by
/// the canonicaliser cannot be one of its own). A placeholder must also carry the pass's random number,
/// which the package cannot know, and name the next runs in order. Anything it cannot follow (a DOCTYPE, an overlong XML
/// declaration) ends eliding for the rest of the document.</para>
/// <para>Not thread safe; one per reader.</para>
/// </remarks>
internal sealed class LongRunElidingStream : Stream
{
    /// <summary>The shortest run elided: shorter ones cost the reader little, and few placeholders keep
    /// the list of runs small.</summary>
    public const int DefaultMinRun = 4096;

    public const char PlaceholderStart = '\uE000';
    public const char PlaceholderEnd = '\uE001';

    private const int BlockSize = 64 * 1024;
    private const int MaxDeclarationBytes = 512;

    private static readonly SearchValues<byte> Base64 = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);
    /// <summary>The bytes a run is made of: the base64 alphabet and LF.</summary>
    public static readonly SearchValues<byte> RunBytes = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n"u8);

    private readonly Stream _inner;
    private readonly ElidedRuns _runs;
    private readonly int _minRun;
    private readonly long _maxBytes;
    private readonly byte[] _in = new byte[BlockSize];
    private byte[] _out;
    private readonly byte[] _pending;
    private int _outStart;
    private int _outEnd;
    private bool _ended;

    private State _state = State.Start;
    private long _offset;            // of the next input byte, from the first one
    private byte _previous;          // the byte before the current one, in any state
    private int _marker;             // bytes of EE 80 8x seen at the end of the last block
    private int _count;              // per state: dashes, brackets, matched characters
    private byte _quote;
    private readonly byte[] _reference = new byte[64]; // the name or number of the open reference
    private int _referenceLength;
    private long _declarationAt = -1; // where "<?" of an XML declaration would be
    private bool _afterCdata;        // the state Text or CData returns to after a run

    private long _runStart = -1;     // the open run's first byte, or -1
    private long _runLength;
    private int _pendingLength;      // the open run's bytes held while it is shorter than _minRun

    private readonly List<byte> _declaration = [];

    private enum State
    {
        Start,
        Declaration,
        Text,
        Reference,
        TagOpened,
        InTag,
        InValue,
        Bang,
        Comment,
        CData,
        ProcessingInstruction,
        PassThrough,
    }

    /// <summary>Wraps <paramref name="inner"/>, positioned at the XML's first byte.</summary>
    /// <param name="inner">The package's XML.</param>
    /// <param name="runs">Where the elided runs are recorded.</param>
    /// <param name="maxBytes">The package limit: beyond it the stream gives up, so the exact path's
    /// reader (which counts characters up to that limit) decides.</param>
    /// <param name="minRun">The shortest run elided (<see cref="DefaultMinRun"/>; tests use less).</param>
    public LongRunElidingStream(Stream inner, ElidedRuns runs, long maxBytes, int minRun = DefaultMinRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minRun, 1);
        _inner = inner;
        _runs = runs;
        _maxBytes = maxBytes;
        _minRun = minRun;
        _pending = new byte[minRun];
        _out = new byte[BlockSize + minRun + 64];
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <exception cref="ElisionAbandonedException">The package cannot be elided exactly.</exception>
    public override int Read(Span<byte> buffer)
    {
        while (_outStart == _outEnd)
        {
            if (_ended || buffer.IsEmpty)
            {
                return 0;
            }

            _outStart = _outEnd = 0;
            var read = _inner.Read(_in);
            if (read == 0)
            {
                _ended = true;
                CloseRun();
                continue;
            }

            if (_offset + read > _maxBytes)
            {
                throw new ElisionAbandonedException("the package is over the size limit");
            }

            var block = _in.AsSpan(0, read);
            RefusePlaceholderBytes(block);
            Lex(block);
        }

        var n = Math.Min(buffer.Length, _outEnd - _outStart);
        _out.AsSpan(_outStart, n).CopyTo(buffer);
        _outStart += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // U+E000 is EE 80 80 and U+E001 EE 80 81 in UTF-8; a sequence may straddle two blocks.
    private void RefusePlaceholderBytes(ReadOnlySpan<byte> block)
    {
        var i = 0;
        if (_marker > 0)
        {
            for (; i < block.Length && _marker > 0; i++)
            {
                _marker = (_marker, block[i]) switch
                {
                    (1, 0x80) => 2,
                    (2, 0x80 or 0x81) => throw new ElisionAbandonedException("the package holds U+E000 or U+E001"),
                    (_, 0xEE) => 1,
                    _ => 0,
                };
            }
        }

        while (i < block.Length)
        {
            var at = block[i..].IndexOf((byte)0xEE);
            if (at < 0)
            {
                return;
            }

            i += at;
            var rest = block[(i + 1)..];
            if (rest.Length >= 2)
            {
                if (rest[0] == 0x80 && rest[1] is 0x80 or 0x81)
                {
                    throw new ElisionAbandonedException("the package holds U+E000 or U+E001");
                }
            }
            else
            {
                _marker = rest.Length == 0 ? 1 : rest[0] == 0x80 ? 2 : rest[0] == 0xEE ? 1 : 0;
                return;
            }

            i++;
        }
    }

    private void Lex(ReadOnlySpan<byte> block)
    {
        var i = 0;
        while (i < block.Length)
        {
            if (_runStart >= 0)
            {
                // Inside a run: its end, vectorised (the 50 MB of an attachment pass here).
                var rest = block[i..];
                var end = rest.IndexOfAnyExcept(RunBytes);
                var length = end < 0 ? rest.Length : end;
                ExtendRun(rest[..length]);
                i += length;
                _offset += length;
                if (length > 0)
                {
                    _previous = rest[length - 1];
                }

                if (end < 0)
                {
                    return;
                }

                CloseRun();
                continue;
            }

            var b = block[i];
            Step(b);
            i++;
            _offset++;
            _previous = b;
        }
    }

    private void Step(byte b)
    {
        if (b == 0 && _state != State.PassThrough)
        {
            // No UTF-8 XML holds NUL: UTF-16 or UTF-32 without a byte-order mark. Followed no further.
            _state = State.PassThrough;
        }

        switch (_state)
        {
            case State.Start:
                Emit(b);
                if (_count < 3 && _offset == _count && b == "\uFEFF"u8[_count])
                {
                    _count++; // the UTF-8 byte-order mark
                }
                else if (b == (byte)'<' && _count is 0 or 3)
                {
                    _state = State.TagOpened;
                    _declarationAt = _offset + 1;
                }
                else if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' && _count is 0 or 3)
                {
                    _state = State.Text; // no declaration can follow: UTF-8
                }
                else
                {
                    // Another byte-order mark or encoding: followed no further.
                    _state = State.PassThrough;
                }

                return;
            case State.Declaration:
                Emit(b);
                _declaration.Add(b);
                if (b == (byte)'>' && _previous == (byte)'?')
                {
                    _state = IsUtf8(_declaration) ? State.Text : State.PassThrough;
                }
                else if (_declaration.Count > MaxDeclarationBytes)
                {
                    _state = State.PassThrough;
                }

                return;
            case State.Text:
                if (b == (byte)'<')
                {
                    _state = State.TagOpened;
                }
                else if (b == (byte)'&')
                {
                    _state = State.Reference;
                    _referenceLength = 0;
                }
                else if (StartsRun(b))
                {
                    OpenRun(b, cdata: false);
                    return;
                }

                Emit(b);
                return;
            case State.Reference:
                Emit(b);
                Reference(b);
                return;
            case State.TagOpened:
                Emit(b);
                _count = 0;
                _state = b switch
                {
                    (byte)'!' => State.Bang,
                    (byte)'?' => State.ProcessingInstruction,
                    (byte)'>' => State.Text,
                    _ => State.InTag,
                };
                if (b == (byte)'?' && _offset == _declarationAt)
                {
                    // At the document's first byte: the XML declaration (or a PI), read whole to find its encoding.
                    _state = State.Declaration;
                    _declaration.Add((byte)'<');
                    _declaration.Add(b);
                }
                else if (_state == State.InTag)
                {
                    InTag(b);
                }

                return;
            case State.InTag:
                Emit(b);
                InTag(b);
                return;
            case State.InValue:
                Emit(b);
                if (b == _quote)
                {
                    _state = State.InTag;
                }

                return;
            case State.Bang:
                Emit(b);
                Bang(b);
                return;
            case State.Comment:
                Emit(b);
                if (b == (byte)'>' && _count >= 2)
                {
                    _state = State.Text;
                }

                _count = b == (byte)'-' ? _count + 1 : 0;
                return;
            case State.CData:
                if (b == (byte)'>' && _count >= 2)
                {
                    _state = State.Text;
                }
                else if (StartsRun(b))
                {
                    _count = 0;
                    OpenRun(b, cdata: true);
                    return;
                }

                Emit(b);
                _count = b == (byte)']' ? _count + 1 : 0;
                return;
            case State.ProcessingInstruction:
                Emit(b);
                if (b == (byte)'>' && _previous == (byte)'?' && _count > 0)
                {
                    _state = State.Text;
                }

                _count++;
                return;
            default:
                Emit(b);
                return;
        }
    }

    private bool StartsRun(byte b) => b < 0x80 && Base64.Contains(b) && _previous < 0x80;

    private void InTag(byte b)
    {
        if (b is (byte)'"' or (byte)'\'')
        {
            _state = State.InValue;
            _quote = b;
        }
        else if (b == (byte)'>')
        {
            _state = State.Text;
        }
    }

    // After "<!": "--" opens a comment, "[CDATA[" a CDATA section; anything else (a DOCTYPE, which the
    // reader refuses anyway) ends eliding.
    private void Bang(byte b)
    {
        if (_count == 0 && b == (byte)'-')
        {
            _count = -1;
            return;
        }

        if (_count == -1)
        {
            _state = b == (byte)'-' ? State.Comment : State.PassThrough;
            _count = 0;
            return;
        }

        var cdata = "[CDATA["u8;
        if (_count >= 0 && _count < cdata.Length && b == cdata[_count])
        {
            _count++;
            if (_count == cdata.Length)
            {
                _state = State.CData;
                _count = 0;
            }

            return;
        }

        _state = State.PassThrough;
    }

    // Inside "&...;": a numeric reference to U+E000 or U+E001 would put a placeholder character in the
    // text that no run stands behind, so the stream gives up on it (and on one too long to read).
    private void Reference(byte b)
    {
        if (b == (byte)';')
        {
            if (ReferencesPlaceholder(_reference.AsSpan(0, _referenceLength)))
            {
                throw new ElisionAbandonedException("the package refers to U+E000 or U+E001");
            }

            _state = State.Text;
        }
        else if (b == (byte)'<')
        {
            _state = State.TagOpened; // malformed: the reader refuses it
        }
        else if (b == (byte)'&')
        {
            _referenceLength = 0;
        }
        else if (b == (byte)'0' && _reference.AsSpan(0, _referenceLength) is [(byte)'#'] or [(byte)'#', (byte)'x' or (byte)'X'])
        {
            // A leading zero of a numeric reference: any number of them, same character.
        }
        else if (_referenceLength == _reference.Length)
        {
            throw new ElisionAbandonedException("a reference too long to follow");
        }
        else
        {
            _reference[_referenceLength++] = b;
        }
    }

    // True for a numeric reference to U+E000 or U+E001, and for any numeric reference it cannot read
    // (the reader refuses those, or they are a form this does not know: either way, give up).
    private static bool ReferencesPlaceholder(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name[0] != (byte)'#')
        {
            return false;
        }

        var hex = name.Length > 1 && name[1] is (byte)'x' or (byte)'X';
        var digits = name[(hex ? 2 : 1)..].TrimStart((byte)'0');
        if (digits.Length is 0 or > 8)
        {
            return true;
        }

        var value = 0L;
        foreach (var d in digits)
        {
            int digit = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' when hex => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' when hex => d - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return true;
            }

            value = (value * (hex ? 16 : 10)) + digit;
        }

        return value is PlaceholderStart or PlaceholderEnd;
    }

    private void OpenRun(byte b, bool cdata)
    {
        _afterCdata = cdata;
        _runStart = _offset;
        _runLength = 0;
        _pendingLength = 0;
        ExtendRun([b]);
    }

    private void ExtendRun(ReadOnlySpan<byte> bytes)
    {
        if (_runLength < _minRun)
        {
            var held = (int)Math.Min(bytes.Length, _minRun - _runLength);
            bytes[..held].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += held;
        }

        _runLength += bytes.Length;
    }

    private void CloseRun()
    {
        if (_runStart < 0)
        {
            return;
        }

        if (_runLength >= _minRun)
        {
            var index = _runs.Add(_runStart, _runLength);
            EmitPlaceholder(index);
        }
        else
        {
            Room(_pendingLength);
            _pending.AsSpan(0, _pendingLength).CopyTo(_out.AsSpan(_outEnd));
            _outEnd += _pendingLength;
        }

        _runStart = -1;
        _pendingLength = 0;
        _state = _afterCdata ? State.CData : State.Text;
        _count = 0;
    }

    private void EmitPlaceholder(int index)
    {
        Room(32);
        var span = _out.AsSpan(_outEnd);
        "\uE000"u8.CopyTo(span);
        _runs.Nonce.TryFormat(span[3..], out var nonce, provider: System.Globalization.CultureInfo.InvariantCulture);
        index.TryFormat(span[(3 + nonce)..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        "\uE001"u8.CopyTo(span[(3 + nonce + digits)..]);
        _outEnd += nonce + digits + 6;
    }

    private void Emit(byte b)
    {
        Room(1);
        _out[_outEnd++] = b;
    }

    // A block's output is at most the block, the held bytes of a run begun before it and placeholders;
    // with the short runs tests use, placeholders can outgrow the runs they stand for.
    private void Room(int bytes)
    {
        if (_outEnd + bytes > _out.Length)
        {
            Array.Resize(ref _out, Math.Max(_out.Length * 2, _outEnd + bytes));
        }
    }

    // The XML declaration's encoding: none (UTF-8 by default) or UTF-8; any other is passed through.
    private static bool IsUtf8(List<byte> declaration)
    {
        var text = Encoding.ASCII.GetString([.. declaration]);
        if (!text.StartsWith("<?xml", StringComparison.Ordinal) || text.Length < 6)
        {
            return !text.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase);
        }

        if (text[5] is not (' ' or '\t' or '\r' or '\n'))
        {
            // A processing instruction whose target begins with "xml" (xml-stylesheet): no declaration.
            return text[5] != '?';
        }

        var at = text.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
        {
            return true;
        }

        var rest = text[(at + "encoding".Length)..].TrimStart();
        if (!rest.StartsWith('='))
        {
            return false;
        }

        rest = rest[1..].TrimStart();
        if (rest.Length == 0 || rest[0] is not ('"' or '\''))
        {
            return false;
        }

        var close = rest.IndexOf(rest[0], 1);
        return close > 0 && rest[1..close].Equals("UTF-8", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The eliding stream or the canonicaliser found what they cannot handle exactly; the caller
/// canonicalises the package again without eliding.</summary>
internal sealed class ElisionAbandonedException(string reason) : Exception(reason);
