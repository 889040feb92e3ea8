using Lgsp.Edxml.Errors;

namespace Lgsp.Server.Inbound.Soap;

// The stream that holds the request body to its byte limit.
public static partial class SoapRequestReader
{
    /// <summary>Counts the bytes read and refuses the request once they pass the limit.</summary>
    private sealed class BoundedReadStream(Stream inner, long maxBytes, CancellationToken cancellationToken) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken token = default) =>
            Count(await inner.ReadAsync(buffer, token.CanBeCanceled ? token : cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken token) =>
            ReadAsync(buffer.AsMemory(offset, count), token).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > maxBytes)
            {
                throw SoapErrors.Fault(ErrorCode.TooLarge, "/", "The request body", $"{maxBytes} bytes");
            }

            return read;
        }
    }
}
