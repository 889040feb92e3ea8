using System.Buffers;

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
internal sealed partial class LongRunElidingStream : Stream
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
}
