using System.Security.Cryptography;
using Lgsp.Edxml.Spooling;
using Microsoft.Win32.SafeHandles;

namespace Lgsp.Edxml.Model;

/// <summary>
/// The decoded bytes of one attachment, held once: in memory when small, otherwise in a temporary
/// file that is deleted when the content is disposed (or the process ends). Every
/// <see cref="OpenRead"/> returns an independent read-only stream over the same single copy.
/// </summary>
/// <remarks>Thread safe for reading. Dispose the owning package to release the file.</remarks>
public sealed class AttachmentContent : IDisposable, IEquatable<AttachmentContent>
{
    /// <summary>Content up to this size stays in memory (1 MiB).</summary>
    public const int InMemoryLimit = 1024 * 1024;

    private readonly byte[]? _bytes;
    private readonly SafeFileHandle? _file;

    private AttachmentContent(byte[]? bytes, SafeFileHandle? file, long length, byte[] sha256)
    {
        _bytes = bytes;
        _file = file;
        Length = length;
        Sha256 = sha256;
    }

    /// <summary>The number of decoded bytes.</summary>
    public long Length { get; }

    /// <summary>True when the content is held in a temporary file rather than in memory.</summary>
    internal bool IsSpooledToFile => _file is not null;

    /// <summary>SHA-256 of the decoded bytes.</summary>
    public ReadOnlyMemory<byte> Sha256 { get; }

    /// <summary>SHA-256 of the decoded bytes, lower-case hex.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(Sha256.Span);

    /// <summary>Content held in memory (the array is copied).</summary>
    public static AttachmentContent FromBytes(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        return new AttachmentContent(copy, null, copy.Length, SHA256.HashData(copy));
    }

    /// <summary>A new spool to write decoded content into; call <see cref="Spool.Complete"/> at the end.</summary>
    public static Spool CreateSpool(long maxBytes) => new(maxBytes);

    /// <summary>An independent read-only stream over the content.</summary>
    /// <exception cref="ObjectDisposedException">The content was disposed.</exception>
    public Stream OpenRead()
    {
        if (_bytes is not null)
        {
            return new MemoryStream(_bytes, writable: false);
        }

        ObjectDisposedException.ThrowIf(_file is null || _file.IsClosed, this);
        return new FileRangeStream(_file, Length);
    }

    /// <summary>The first bytes of the content (for type sniffing).</summary>
    public ReadOnlySpan<byte> Head(int count)
    {
        if (_bytes is not null)
        {
            return _bytes.AsSpan(0, Math.Min(count, _bytes.Length));
        }

        var buffer = new byte[(int)Math.Min(count, Length)];
        using var s = OpenRead();
        s.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Releases the temporary file, if any.</summary>
    public void Dispose() => _file?.Dispose();

    /// <summary>Equal when length and SHA-256 are equal.</summary>
    public bool Equals(AttachmentContent? other) =>
        other is not null && Length == other.Length && Sha256.Span.SequenceEqual(other.Sha256.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AttachmentContent);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Length, BitConverter.ToInt64(Sha256.Span));

    /// <summary>Receives decoded bytes and decides where to keep them.</summary>
    /// <remarks>Not thread safe. Disposing an incomplete spool deletes what it wrote.</remarks>
    public sealed class Spool : IDisposable
    {
        private readonly long _maxBytes;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private PooledBytes? _memory = new();
        private SafeFileHandle? _file;
        private long _length;

        internal Spool(long maxBytes) => _maxBytes = maxBytes;

        /// <summary>Bytes written so far.</summary>
        public long Length => _length;

        /// <summary>Appends bytes.</summary>
        /// <exception cref="InvalidOperationException">The content would exceed the limit given at creation.</exception>
        public void Write(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _maxBytes)
            {
                throw new InvalidOperationException($"Attachment larger than {_maxBytes} bytes.");
            }

            _hash.AppendData(bytes);
            if (_memory is not null && _memory.Length + bytes.Length > InMemoryLimit)
            {
                _file = File.OpenHandle(
                    Path.Combine(Path.GetTempPath(), "lgsp-att-" + Guid.NewGuid().ToString("N")),
                    FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
                RandomAccess.Write(_file, _memory.Written, 0);
                _memory.Dispose();
                _memory = null;
            }

            if (_memory is not null)
            {
                _memory.Write(bytes);
            }
            else
            {
                RandomAccess.Write(_file!, bytes, _length);
            }

            _length += bytes.Length;
        }

        /// <summary>Finishes the content; the spool must not be used afterwards.</summary>
        public AttachmentContent Complete()
        {
            var sha = _hash.GetHashAndReset();
            var content = _memory is not null
                ? new AttachmentContent(_memory.ToArray(), null, _length, sha)
                : new AttachmentContent(null, _file, _length, sha);
            _file = null;
            _memory?.Dispose();
            _memory = null;
            return content;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _file?.Dispose();
            _memory?.Dispose();
            _memory = null;
            _hash.Dispose();
        }
    }
}
