namespace Lgsp.Edxml.Spooling;

public sealed partial class PackageSpool
{
    /// <summary>
    /// Who still uses a complete spool's rented array: the spool itself and each stream opened over it.
    /// The array goes back to the pool (cleared) when the last of them lets go, never before: a stream
    /// that outlives the spool still reads the package, not whatever the pool's next renter wrote.
    /// </summary>
    /// <remarks>Thread safe: readers may be opened and disposed on any thread while the spool is disposed.</remarks>
    private sealed class Leases(PooledBytes memory)
    {
        private int _count = 1;

        /// <summary>A read-only stream over the first <paramref name="length"/> bytes, holding a lease
        /// until it is disposed; null once the array went back to the pool.</summary>
        public Stream? Open(int length)
        {
            int seen;
            do
            {
                seen = Volatile.Read(ref _count);
                if (seen == 0)
                {
                    return null;
                }
            }
            while (Interlocked.CompareExchange(ref _count, seen + 1, seen) != seen);

            return new LeasedStream(this, memory.RentedArray, length);
        }

        /// <summary>Lets go of one lease; the last returns the array to the pool.</summary>
        public void Release()
        {
            if (Interlocked.Decrement(ref _count) == 0)
            {
                memory.Dispose();
            }
        }
    }

    /// <summary>A read-only stream over a leased array; disposing it (once) releases its lease. Its bytes
    /// are visible (<see cref="MemoryStream.TryGetBuffer"/>) so that a consumer can write them on while the
    /// stream is open instead of copying them (Npgsql does, for the package store's insert).</summary>
    private sealed class LeasedStream(Leases leases, byte[] array, int length) : MemoryStream(array, 0, length, writable: false, publiclyVisible: true)
    {
        private int _released;

        protected override void Dispose(bool disposing)
        {
            // After this the stream refuses reads (MemoryStream's own check), so it never reads the array again.
            base.Dispose(disposing);
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                leases.Release();
            }
        }
    }
}
