using System.Buffers;
using System.Security.Cryptography;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Spooling;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Validation;

namespace Lgsp.Edxml.Tests.Spooling;

/// <summary>A spool in memory keeps the array it rented while writing and shares it with its readers:
/// the array must go back to the pool exactly once, cleared, and only when nothing reads it any more.</summary>
public sealed class PackageSpoolPoolingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    [InlineData(16_385)]
    [InlineData(65_536)]
    [InlineData(84_999)]
    [InlineData(85_001)]
    [InlineData(131_071)]
    [InlineData(131_072)]
    [InlineData(131_073)]
    [InlineData(PackageSpool.DefaultMemoryThreshold)]
    [InlineData(PackageSpool.DefaultMemoryThreshold + 1)]
    public void Bytes_of_any_length_around_the_pools_sizes_read_back_identical(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        var pool = new ReusingPool();

        using (var spool = Spool(bytes, pool, piece: 7_919))
        {
            using var input = spool.OpenRead();
            using var copy = new MemoryStream();
            input.CopyTo(copy);

            Assert.Equal(bytes, copy.ToArray());
            Assert.Equal(bytes, spool.ToArray());
            Assert.Equal(SHA256.HashData(bytes), spool.Sha256);
            Assert.Equal(length > PackageSpool.DefaultMemoryThreshold, spool.IsOnDisk);
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Completing_and_reading_a_spool_in_memory_copies_nothing_of_the_package()
    {
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        using var spool = PackageSpool.Create(PackageSpool.DefaultMemoryThreshold, null, new ReusingPool());
        spool.Write(bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        spool.Complete();
        using (var input = spool.OpenRead())
        {
            input.Position = bytes.Length - 1;
            Assert.Equal(bytes[^1], input.ReadByte());
        }

        // A copy of the package would be 100 000 bytes, a large object; the hash and the stream are a few hundred.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4_096);
    }

    [Fact]
    public void A_reader_that_outlives_its_spool_still_reads_the_package_while_the_next_spool_writes_its_own()
    {
        var first = RandomNumberGenerator.GetBytes(100_000);
        var second = RandomNumberGenerator.GetBytes(100_000);
        var pool = new ReusingPool();
        var spool = Spool(first, pool);
        using var reader = spool.OpenRead();
        var head = new byte[10];
        reader.ReadExactly(head);

        spool.Dispose();
        using var next = Spool(second, pool);
        using var rest = new MemoryStream();
        reader.CopyTo(rest);

        // Had the array gone back with the spool, the pool would have handed it to the next spool.
        Assert.Equal(first, head.Concat(rest.ToArray()).ToArray());
        Assert.Equal(second, next.ToArray());
        Assert.Throws<ObjectDisposedException>(() => spool.OpenRead());
    }

    [Fact]
    public void The_array_goes_back_once_and_cleared_when_the_last_of_the_spool_and_its_readers_is_disposed()
    {
        var secret = new byte[100_000];
        Array.Fill(secret, (byte)0xA5);
        var pool = new ReusingPool();
        var spool = Spool(secret, pool);
        var reader = spool.OpenRead();
        var returnedBefore = pool.Returned.Count;

        spool.Dispose();
        spool.Dispose();
        Assert.Equal(returnedBefore, pool.Returned.Count);

        reader.Dispose();
        reader.Dispose();
        Assert.Equal(returnedBefore + 1, pool.Returned.Count);
        Assert.Equal(0, pool.Outstanding);
        Assert.All(pool.Returned, array => Assert.True(array.AsSpan().IndexOf((byte)0xA5) < 0));
        Assert.Throws<ObjectDisposedException>(() => reader.ReadByte());
    }

    [Fact]
    public void Readers_opened_and_closed_on_many_threads_while_the_spool_is_disposed_read_the_package_or_are_refused()
    {
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var expected = SHA256.HashData(bytes);
        for (var round = 0; round < 20; round++)
        {
            var pool = new ReusingPool();
            var spool = Spool(bytes, pool);
            var results = new int[8];
            var threads = Enumerable.Range(0, results.Length).Select(t => new Thread(() =>
            {
                for (var i = 0; i < 50; i++)
                {
                    Stream input;
                    try
                    {
                        input = spool.OpenRead();
                    }
                    catch (ObjectDisposedException)
                    {
                        continue;
                    }

                    using (input)
                    {
                        results[t] += SHA256.HashData(input).AsSpan().SequenceEqual(expected) ? 0 : 1;
                    }
                }
            })).ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }

            Thread.Sleep(1);
            spool.Dispose();
            foreach (var thread in threads)
            {
                thread.Join();
            }

            Assert.All(results, wrong => Assert.Equal(0, wrong));
            Assert.Equal(0, pool.Outstanding);
        }
    }

    [Theory]
    [InlineData("signed")]
    [InlineData("tampered")]
    [InlineData("unsigned")]
    public void Judging_a_package_closes_every_stream_it_opens_so_the_array_goes_back_with_the_spool(string which)
    {
        using var pki = TestPki.Create();
        var signer = pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var unsigned = File.ReadAllBytes(Repository.Sample("edoc_update.edxml"));
        var package = which == "unsigned" ? unsigned : PackageSigner.Sign(unsigned, signer, [pki.Intermediate]);
        if (which == "tampered")
        {
            var at = package.AsSpan().IndexOf("<edXML:Subject>"u8) + "<edXML:Subject>".Length;
            package[at] = (byte)(package[at] == (byte)'X' ? 'Y' : 'X');
        }

        var pool = new ReusingPool();
        var options = CheckOptions.Legacy(new CertificateTrust(new TrustOptions { Roots = [pki.Root] }));
        using (var spool = Spool(package, pool))
        {
            var verdict = PackageCheck.Evaluate(spool, options);
            Assert.NotNull(verdict.Validation.Package);
            verdict.Validation.Package.Dispose();
        }

        Assert.Equal(0, pool.Outstanding);
    }

    private static PackageSpool Spool(byte[] bytes, ArrayPool<byte> pool, int piece = 16_384)
    {
        var spool = PackageSpool.Create(PackageSpool.DefaultMemoryThreshold, null, pool);
        for (var at = 0; at < bytes.Length; at += piece)
        {
            spool.Write(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
        }

        spool.Complete();
        return spool;
    }

    /// <summary>A pool that hands out the array returned last whenever it is large enough, as a busy
    /// shared pool does, so that an array returned too early shows up in the next spool; it counts the
    /// arrays rented and not yet returned. Thread safe.</summary>
    private sealed class ReusingPool : ArrayPool<byte>
    {
        private readonly Stack<byte[]> _free = new();
        private int _outstanding;

        public List<byte[]> Returned { get; } = [];

        public int Outstanding => Volatile.Read(ref _outstanding);

        public override byte[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _outstanding);
            lock (_free)
            {
                if (_free.TryPeek(out var last) && last.Length >= minimumLength)
                {
                    return _free.Pop();
                }
            }

            var array = new byte[minimumLength + 7];
            Array.Fill(array, (byte)0xEE);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Interlocked.Decrement(ref _outstanding);
            lock (_free)
            {
                Assert.False(_free.Any(free => ReferenceEquals(free, array)), "an array returned twice");
                _free.Push(array);
                Returned.Add(array);
            }
        }
    }
}
