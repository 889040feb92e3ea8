using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Lgsp.Edxml.Spooling;

/// <summary>
/// One received package, held once while the hub judges and stores it (ADR 0016): in memory up to a
/// threshold, in a temporary file above it (created with delete-on-close, so it goes when the spool is
/// disposed or the process ends). Its length and SHA-256 are computed while it is written; once
/// <see cref="Complete"/>d it can be opened for reading as many times as needed, each reader with its
/// own position, so the format checks, the signature, the report facts and the storage each stream it
/// instead of holding their own copy.
/// </summary>
/// <remarks>Written by one thread; once complete, thread safe for reading. Dispose it when the request
/// ends (the file is deleted then; streams still open over a file fail). In memory, the bytes stay in
/// the array rented while writing (no copy: a copy of a ~100 KB package is a large object, and large
/// objects are what trigger the hub's full collections); the array goes back to the pool only once the
/// spool and every stream opened over it are disposed, so a reader never sees the next renter's bytes
/// (<see cref="Leases"/>).</remarks>
public sealed partial class PackageSpool : IDisposable
{
    /// <summary>A spool keeps up to this many bytes in memory by default (1 MiB, as attachments do); more
    /// goes to a temporary file.</summary>
    public const int DefaultMemoryThreshold = 1024 * 1024;

    private readonly int _memoryThreshold;
    private readonly string _directory;
    private IncrementalHash? _hash;
    private PooledBytes? _memory;
    private Leases? _leases;
    private byte[]? _bytes;
    private SafeFileHandle? _file;
    private byte[]? _sha256;
    private bool _complete;
    private bool _disposed;

    private PackageSpool(int memoryThreshold, string directory, System.Buffers.ArrayPool<byte>? pool)
    {
        _memoryThreshold = memoryThreshold;
        _directory = directory;
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _memory = new PooledBytes(pool);
    }

    private PackageSpool(byte[] bytes)
    {
        _memoryThreshold = int.MaxValue;
        _directory = "";
        _bytes = bytes;
        Length = bytes.Length;
        _sha256 = SHA256.HashData(bytes);
        _complete = true;
    }

    private PackageSpool(SafeFileHandle file)
    {
        _memoryThreshold = int.MaxValue;
        _directory = "";
        _file = file;
        Length = RandomAccess.GetLength(file);
        _complete = true;
    }

    /// <summary>The bytes written.</summary>
    public long Length { get; private set; }

    /// <summary>True once <see cref="Complete"/> was called (or for <see cref="FromBytes"/>).</summary>
    public bool IsComplete => _complete;

    /// <summary>True when the bytes are in a temporary file rather than in memory.</summary>
    public bool IsOnDisk => _file is not null;

    /// <summary>SHA-256 of the bytes, computed as they were written.</summary>
    /// <exception cref="InvalidOperationException">Not complete.</exception>
    /// <remarks>For <see cref="OverFile"/>, read from the file when first asked.</remarks>
    public byte[] Sha256 => _complete ? (byte[])(_sha256 ??= HashOf(Length)).Clone() : throw NotComplete();

    /// <summary>A new, empty spool to write into.</summary>
    /// <param name="memoryThreshold">Bytes kept in memory before the spool moves to a file
    /// (default <see cref="DefaultMemoryThreshold"/>; 0: always a file).</param>
    /// <param name="directory">Where the temporary file goes; null: the system's temporary directory.</param>
    public static PackageSpool Create(int memoryThreshold = DefaultMemoryThreshold, string? directory = null) =>
        Create(memoryThreshold, directory, pool: null);

    /// <summary>As <see cref="Create(int, string?)"/>, with the pool the in-memory bytes are rented from
    /// (null: the shared pool); for tests that watch the arrays.</summary>
    internal static PackageSpool Create(int memoryThreshold, string? directory, System.Buffers.ArrayPool<byte>? pool)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memoryThreshold);
        return new PackageSpool(memoryThreshold, string.IsNullOrEmpty(directory) ? Path.GetTempPath() : directory, pool);
    }

    /// <summary>A complete spool over bytes already in memory (not copied: do not change them), for
    /// callers that have the package as an array (hub-to-hub intake, tests).</summary>
    public static PackageSpool FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new PackageSpool(bytes);
    }

    /// <summary>A complete spool over a file already on disk, read in place: not copied, not held in
    /// memory, and not deleted on dispose (the file stays the caller's). For verifying a package where it
    /// lies (<c>lgsp edxml verify</c>), so that memory does not grow with the package.</summary>
    /// <param name="path">The package file; it must not change while the spool is open.</param>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static PackageSpool OverFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new PackageSpool(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan));
    }

    /// <summary>Appends bytes.</summary>
    /// <exception cref="InvalidOperationException">The spool is complete.</exception>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var hash = _hash ?? throw new InvalidOperationException("The spool is complete; it cannot be written to.");
        hash.AppendData(bytes);
        if (_memory is not null && _memory.Length + bytes.Length > _memoryThreshold)
        {
            _file = File.OpenHandle(Path.Combine(_directory, "lgsp-spool-" + Guid.NewGuid().ToString("N")),
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
            RandomAccess.Write(_file!, bytes, Length);
        }

        Length += bytes.Length;
    }

    /// <summary>Copies a stream to its end into the spool, in chunks.</summary>
    public async Task WriteAsync(Stream source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                Write(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Ends writing; the hash is final and the spool can be read.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_hash is null)
        {
            return;
        }

        _sha256 = _hash.GetHashAndReset();
        _complete = true;
        _hash.Dispose();
        _hash = null;
        if (_memory is not null)
        {
            // The rented array is kept (not copied) and now shared with the readers.
            _leases = new Leases(_memory);
        }
    }

    /// <summary>Drops the bytes after the first <paramref name="length"/> (the axis door's trailing CRLF)
    /// when <paramref name="accept"/> takes the SHA-256 of what would be kept (read once from the spool),
    /// which becomes the spool's hash.</summary>
    /// <returns>True when shortened; false leaves the spool as it was.</returns>
    /// <exception cref="InvalidOperationException">Not complete.</exception>
    public bool TryShorten(long length, Func<byte[], bool> accept)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        ArgumentNullException.ThrowIfNull(accept);
        if (!_complete)
        {
            throw NotComplete();
        }

        var sha = HashOf(length);
        if (!accept(sha))
        {
            return false;
        }

        // Readers are bounded by Length; the bytes after it are simply not read (no copy).
        _sha256 = sha;
        Length = length;
        return true;
    }

    /// <summary>SHA-256 of the first <paramref name="length"/> bytes, read from the spool.</summary>
    public byte[] HashOf(long length)
    {
        using var input = OpenRead();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            var left = length;
            int read;
            while (left > 0 && (read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, left))) > 0)
            {
                hash.AppendData(buffer, 0, read);
                left -= read;
            }

            return hash.GetHashAndReset();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The last <paramref name="count"/> bytes (or fewer, for a shorter spool).</summary>
    public byte[] Tail(int count)
    {
        var n = (int)Math.Min(count, Length);
        var tail = new byte[n];
        using var input = OpenRead();
        input.Position = Length - n;
        input.ReadExactly(tail);
        return tail;
    }

    /// <summary>An independent read-only stream over the bytes, from the first. For a spool in memory it is
    /// a <see cref="MemoryStream"/> whose <see cref="MemoryStream.TryGetBuffer"/> gives the bytes, valid
    /// until the stream is disposed.</summary>
    /// <exception cref="InvalidOperationException">Not complete.</exception>
    public Stream OpenRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_complete)
        {
            throw NotComplete();
        }

        if (_bytes is not null)
        {
            return new MemoryStream(_bytes, 0, (int)Length, writable: false, publiclyVisible: true);
        }

        if (_leases is { } leases)
        {
            return leases.Open((int)Length) ?? throw new ObjectDisposedException(nameof(PackageSpool));
        }

        return new FileRangeStream(_file!, Length);
    }

    /// <summary>The bytes as one array: a copy of the whole package, for callers that need one (small
    /// packages, tests); the accept path never calls it.</summary>
    public byte[] ToArray()
    {
        using var input = OpenRead();
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        input.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Deletes the temporary file, if any.</summary>
    public void Dispose()
    {
        _disposed = true;
        _hash?.Dispose();
        _hash = null;
        _file?.Dispose();
        if (_leases is { } leases)
        {
            // The spool's own lease; the array goes back once the last open reader is disposed too.
            _leases = null;
            leases.Release();
        }
        else
        {
            _memory?.Dispose();
        }

        _memory = null;
        _bytes = null;
    }

    private static InvalidOperationException NotComplete() => new("The spool is still being written; call Complete first.");
}
