using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Limits;

/// <summary>Admits a large door request into the <see cref="MemoryBudget"/> (docs/security.md, "Limits"),
/// once its caller is authenticated and before its body is read: a declared <c>Content-Length</c> reserves
/// its cost at once; an undeclared (chunked) body reserves a first step and grows its reservation as its
/// bytes arrive. The reservation is released when the request ends.</summary>
/// <remarks>The same requests count as large as for the concurrency limit
/// (<see cref="HubLimits.IsLarge"/>). After authentication, so that no anonymous caller can hold the
/// budget by declaring a large body and sending it slowly. Thread safe.</remarks>
public sealed class MemoryAdmission(MemoryBudget budget, LimitsOptions limits, IOptions<HubOptions> options)
{
    /// <summary>The first step an undeclared body reserves, and the least it grows by.</summary>
    internal const long Step = 1024 * 1024;

    /// <summary>Reserves the request's cost when it is large; nothing otherwise.</summary>
    /// <exception cref="LimitedException"><see cref="LimitErrors.HubBusy"/>: the budget has no room
    /// within its wait.</exception>
    public async Task AdmitAsync(HttpContext context)
    {
        if (!HubLimits.IsLarge(context, limits.LargeBodies.Bytes))
        {
            return;
        }

        var max = options.Value.MaxRequestBytes;
        var declared = context.Request.ContentLength;
        var reservation = new Reservation(budget, max);
        context.Response.RegisterForDispose(reservation);
        await reservation.CoverAsync(declared is { } length ? Math.Min(length, max) : Math.Min(Step, max), context.RequestAborted);
        if (declared is null)
        {
            context.Request.Body = new ReservingStream(context.Request.Body, reservation);
        }
    }

    /// <summary>The refusal of a request the budget has no room for.</summary>
    internal static LimitedException Busy(MemoryBudget budget) => new(LimitErrors.HubBusy, "memory", budget.Options.Wait);

    /// <summary>What one request holds of the budget, for a body of up to <see cref="Covered"/> bytes.</summary>
    internal sealed class Reservation(MemoryBudget budget, long maxBodyBytes) : IDisposable
    {
        private long _reserved;

        /// <summary>The body bytes the reservation covers.</summary>
        public long Covered { get; private set; }

        /// <summary>Grows the reservation to cover a body of <paramref name="bodyBytes"/> (at most the
        /// hub's request limit: beyond it the body is refused anyway).</summary>
        /// <exception cref="LimitedException"><see cref="LimitErrors.HubBusy"/>.</exception>
        public async Task CoverAsync(long bodyBytes, CancellationToken ct)
        {
            bodyBytes = Math.Min(bodyBytes, maxBodyBytes);
            if (bodyBytes <= Covered)
            {
                return;
            }

            var more = budget.Options.CostOf(bodyBytes) - _reserved;
            if (!await budget.TryReserveAsync(more, ct))
            {
                throw Busy(budget);
            }

            _reserved += more;
            Covered = bodyBytes;
        }

        public void Dispose()
        {
            budget.Release(_reserved);
            _reserved = 0;
        }
    }

    /// <summary>A request body of undeclared length that grows its reservation ahead of the bytes read
    /// (by a quarter of what arrived, at least <see cref="Step"/>).</summary>
    internal sealed class ReservingStream(Stream inner, Reservation reservation) : Stream
    {
        /// <summary>The body as it arrives, without growing the reservation (to drop the rest of a refused body).</summary>
        public Stream Inner => inner;

        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _read += read;
            if (_read > reservation.Covered)
            {
                await reservation.CoverAsync(_read + Math.Max(Step, _read / 4), cancellationToken);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // ASP.NET Core forbids synchronous reads of a request body; so does this stream.
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are not allowed.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
