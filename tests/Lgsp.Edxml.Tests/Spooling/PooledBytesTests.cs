using System.Buffers;
using System.Security.Cryptography;
using Lgsp.Edxml.Spooling;

namespace Lgsp.Edxml.Tests.Spooling;

public sealed class PooledBytesTests
{
    [Fact]
    public void Bytes_written_in_uneven_pieces_come_back_whole_and_in_order_after_every_growth()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        using var pooled = new PooledBytes(new RecordingPool());

        for (int at = 0, piece = 1; at < bytes.Length; at += piece, piece = piece * 3 % 40_000 + 1)
        {
            pooled.Write(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
        }

        Assert.Equal(bytes.Length, pooled.Length);
        Assert.Equal(bytes, pooled.ToArray());
    }

    [Fact]
    public void Every_array_goes_back_to_the_pool_cleared_so_the_next_renter_never_reads_a_package()
    {
        var pool = new RecordingPool();
        var pooled = new PooledBytes(pool);
        var secret = new byte[200_000];
        Array.Fill(secret, (byte)0xA5);

        pooled.Write(secret.AsSpan(0, 10_000));
        pooled.Write(secret.AsSpan(10_000)); // grows: the first array goes back
        pooled.Dispose();

        Assert.True(pool.Rented.Count >= 2);
        Assert.Equal(pool.Rented, pool.Returned);
        Assert.All(pool.Returned, array => Assert.True(array.AsSpan().IndexOf((byte)0xA5) < 0));
        Assert.Equal(0, pooled.Length);
    }

    [Fact]
    public void The_copy_handed_out_is_the_written_length_not_the_rented_array()
    {
        using var pooled = new PooledBytes(new RecordingPool());
        pooled.Write([1, 2, 3]);

        var copy = pooled.ToArray();

        Assert.Equal(new byte[] { 1, 2, 3 }, copy);
    }

    /// <summary>Hands out fresh arrays filled with garbage (as a pool's recycled arrays may be) and
    /// keeps what was rented and returned.</summary>
    private sealed class RecordingPool : ArrayPool<byte>
    {
        public List<byte[]> Rented { get; } = [];

        public List<byte[]> Returned { get; } = [];

        public override byte[] Rent(int minimumLength)
        {
            var array = new byte[minimumLength + 7];
            Array.Fill(array, (byte)0xEE);
            Rented.Add(array);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false) => Returned.Add(array);
    }
}
