using System.Buffers;

namespace Lgsp.Edxml.Spooling;

/// <summary>
/// The in-memory part of a spool while it is written: bytes in an array rented from the shared pool,
/// replaced by a larger rented one when full. A <see cref="MemoryStream"/> grows by allocating twice
/// its size and dropping the old array, so a 100 KB package left about 260 KB of garbage per accept,
/// half of it on the large-object heap, whose collections are full (gen 2) collections.
/// </summary>
/// <remarks>Not thread safe. Arrays go back to the pool cleared (a package's bytes must not be readable
/// by the next renter); <see cref="Dispose"/> returns the last one.</remarks>
internal sealed class PooledBytes(ArrayPool<byte>? pool = null) : IDisposable
{
    private const int FirstSize = 16 * 1024;

    private readonly ArrayPool<byte> _pool = pool ?? ArrayPool<byte>.Shared;
    private byte[] _buffer = [];

    /// <summary>The bytes written.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written, valid until the next write or <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        var needed = checked(Length + bytes.Length);
        if (needed > _buffer.Length)
        {
            var larger = _pool.Rent(Math.Max(needed, Math.Max(FirstSize, _buffer.Length * 2)));
            Written.CopyTo(larger);
            ReturnBuffer();
            _buffer = larger;
        }

        bytes.CopyTo(_buffer.AsSpan(Length));
        Length = needed;
    }

    /// <summary>The rented array itself (longer than <see cref="Length"/>), for an owner that shares it
    /// read-only until it disposes this instance (<see cref="PackageSpool"/>'s readers).</summary>
    public byte[] RentedArray => _buffer;

    /// <summary>A copy of the bytes written, of exactly their length.</summary>
    public byte[] ToArray() => Written.ToArray();

    /// <summary>Returns the array to the pool; the instance is empty afterwards.</summary>
    public void Dispose()
    {
        ReturnBuffer();
        _buffer = [];
        Length = 0;
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            Array.Clear(_buffer, 0, Length);
            _pool.Return(_buffer);
        }
    }
}
