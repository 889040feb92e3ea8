using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Xml;

/// <summary>
/// Refuses, as the bytes pass, a start or end tag longer than a limit (its name and attributes,
/// from <c>&lt;</c> to <c>&gt;</c>, quoted values included), before an XML reader buffers it: the reader
/// holds a whole attribute in memory, twice over while its buffer grows, so a 30 MB attribute would cost
/// several times its size. Text between tags (base64 attachments) is not counted; comments, CDATA,
/// processing instructions and DTDs (<c>&lt;!</c>, <c>&lt;?</c>) are left to the reader's own limits.
/// </summary>
/// <remarks>Works on the bytes of any ASCII-compatible encoding (UTF-8, which edXML uses). One per
/// reader; not thread safe.</remarks>
public sealed class TagLengthLimitStream(Stream inner, int maxTagBytes) : Stream
{
    private State _state;
    private byte _quote;
    private long _tagBytes;

    private enum State
    {
        Text,
        TagOpened,
        InTag,
        InValue,
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    /// <exception cref="EdxmlFormatException"><see cref="ErrorCode.TooLarge"/>: a tag passed the limit.</exception>
    public override int Read(byte[] buffer, int offset, int count) => Scan(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) => Scan(buffer[..inner.Read(buffer)]);

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Scan(buffer.Span[..read]);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Scan(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            switch (_state)
            {
                case State.Text:
                    // Text is most of a package (a base64 attachment): jump to the next '<' with a
                    // vectorised search instead of looking at every byte.
                    var open = bytes[i..].IndexOf((byte)'<');
                    if (open < 0)
                    {
                        return bytes.Length;
                    }

                    i += open;
                    _state = State.TagOpened;
                    _tagBytes = 1;
                    continue;
                case State.TagOpened:
                    _state = b is (byte)'!' or (byte)'?' ? State.Text : State.InTag;
                    break;
                case State.InTag:
                    if (b is (byte)'"' or (byte)'\'')
                    {
                        _state = State.InValue;
                        _quote = b;
                    }
                    else if (b == (byte)'>')
                    {
                        _state = State.Text;
                    }

                    break;
                case State.InValue:
                    if (b == _quote)
                    {
                        _state = State.InTag;
                    }

                    break;
            }

            if (++_tagBytes > maxTagBytes)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, "/", "A tag (its name and attributes)", $"{maxTagBytes} bytes"));
            }
        }

        return bytes.Length;
    }
}
