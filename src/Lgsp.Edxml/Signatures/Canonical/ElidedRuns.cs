namespace Lgsp.Edxml.Signatures.Canonical;

/// <summary>
/// The runs a <see cref="LongRunElidingStream"/> replaced by placeholders, as places in the package
/// (offset and length, never the bytes), and their bytes read back from a second stream over the same
/// package when the canonicaliser meets each placeholder: memory stays the buffers, whatever the size.
/// </summary>
/// <remarks>Each run is written at most once and in document order (the reader meets placeholders in
/// the order the stream wrote them); a placeholder naming a run already written, or one never recorded,
/// is not one of the stream's and gives up. Not thread safe.</remarks>
internal sealed class ElidedRuns(Func<Stream> reopen) : IDisposable
{
    private readonly List<(long Offset, long Length)> _runs = [];
    private int _next;
    private Stream? _source;
    private long _origin;
    private long _position;
    private byte[]? _buffer;

    /// <summary>Nine random digits every placeholder of this pass begins with: one that does not was not
    /// written by the stream (defence in depth: the stream already gives up on any placeholder character
    /// the package could bring).</summary>
    public int Nonce { get; } = System.Security.Cryptography.RandomNumberGenerator.GetInt32(100_000_000, 1_000_000_000);

    /// <summary>How many runs were recorded.</summary>
    public int Count => _runs.Count;

    /// <summary>Records a run; returns its number.</summary>
    public int Add(long offset, long length)
    {
        _runs.Add((offset, length));
        return _runs.Count - 1;
    }

    /// <summary>Writes run <paramref name="index"/>'s bytes into <paramref name="sink"/>.</summary>
    /// <exception cref="ElisionAbandonedException">No such run, or not the next in order.</exception>
    public void CopyTo(long index, CanonicalSink sink)
    {
        if (index < _next || index >= _runs.Count)
        {
            throw new ElisionAbandonedException("a placeholder that stands for no run");
        }

        _next = (int)index + 1;
        var (offset, length) = _runs[(int)index];
        if (_source is null)
        {
            _source = reopen();
            _origin = _source.CanSeek ? _source.Position : 0;
            _position = 0;
            _buffer = new byte[64 * 1024];
        }

        if (_source.CanSeek)
        {
            _source.Position = _origin + offset;
        }
        else
        {
            Skip(offset - _position);
        }

        _position = offset + length;
        while (length > 0)
        {
            var read = _source.Read(_buffer!, 0, (int)Math.Min(_buffer!.Length, length));
            if (read == 0)
            {
                throw new ElisionAbandonedException("the package ended inside a run");
            }

            var bytes = _buffer.AsSpan(0, read);
            if (bytes.ContainsAnyExcept(LongRunElidingStream.RunBytes))
            {
                throw new ElisionAbandonedException("the package changed between the passes");
            }

            sink.Verbatim(bytes);
            length -= read;
        }
    }

    private void Skip(long count)
    {
        while (count > 0)
        {
            var read = _source!.Read(_buffer!, 0, (int)Math.Min(_buffer!.Length, count));
            if (read == 0)
            {
                throw new ElisionAbandonedException("the package ended before a run");
            }

            count -= read;
        }
    }

    public void Dispose() => _source?.Dispose();
}
