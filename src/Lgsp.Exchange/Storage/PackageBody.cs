using System.Buffers;
using System.Buffers.Text;

namespace Lgsp.Exchange.Storage;

/// <summary>A stored package's exact bytes, opened for one reading: <see cref="Content"/> reads them
/// from the store as they are sent, so serving a package never holds it whole (issue 14). Dispose it
/// when done: it owns what the store opened for it (a connection, for PostgreSQL).</summary>
/// <remarks>Not thread safe; read once, front to back.</remarks>
public sealed class PackageBody : IAsyncDisposable
{
    /// <summary>The raw bytes read per chunk when encoding base64: a multiple of 3, so that every
    /// chunk but the last encodes without padding and the chunks join into one base64 text.</summary>
    public const int Base64ChunkBytes = 3 * 16 * 1024;

    private readonly IAsyncDisposable[] _owned;

    /// <summary>A body read from <paramref name="content"/>, <paramref name="length"/> bytes long;
    /// disposing it disposes the stream, then <paramref name="owned"/> in order.</summary>
    public PackageBody(Stream content, long length, params IAsyncDisposable[] owned)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Content = content;
        Length = length;
        _owned = owned;
    }

    /// <summary>The bytes, read forwards only.</summary>
    public Stream Content { get; }

    /// <summary>How many bytes <see cref="Content"/> holds.</summary>
    public long Length { get; }

    /// <summary>The length of the base64 text of the body (padded, no line breaks).</summary>
    public long Base64Length => (Length + 2) / 3 * 4;

    /// <summary>A body over bytes already in memory (tests, fakes).</summary>
    public static PackageBody Of(byte[] bytes) => new(new MemoryStream(bytes, writable: false), bytes.Length);

    /// <summary>Reads the body in chunks of <see cref="Base64ChunkBytes"/> (the last may be shorter)
    /// and hands each to <paramref name="chunk"/> before reading the next.</summary>
    public async Task ReadChunksAsync(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> chunk, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Base64ChunkBytes);
        try
        {
            int read;
            do
            {
                read = await Content.ReadAtLeastAsync(buffer.AsMemory(0, Base64ChunkBytes), Base64ChunkBytes, throwOnEndOfStream: false, ct);
                if (read > 0)
                {
                    await chunk(buffer.AsMemory(0, read), ct);
                }
            }
            while (read == Base64ChunkBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the base64 text of the body (padded, no line breaks) to <paramref name="destination"/>,
    /// encoding a chunk at a time.</summary>
    public async Task WriteBase64ToAsync(Stream destination, CancellationToken ct)
    {
        var encoded = ArrayPool<byte>.Shared.Rent(Base64ChunkBytes / 3 * 4);
        try
        {
            await ReadChunksAsync(async (raw, token) =>
            {
                Base64.EncodeToUtf8(raw.Span, encoded, out _, out var written);
                await destination.WriteAsync(encoded.AsMemory(0, written), token);
            }, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    /// <summary>The whole body in memory: only for a reader that needs the package whole anyway (the
    /// console's document screen parses it, attachments and their PDF signatures included); every
    /// serving path streams <see cref="Content"/> instead.</summary>
    public async Task<byte[]> ToArrayAsync(CancellationToken ct)
    {
        var bytes = new byte[Length];
        await Content.ReadExactlyAsync(bytes, ct);
        return bytes;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}

/// <summary>Opens a package's body for one reading (<see cref="PackageBody"/>): how a push attempt
/// reads the package it sends, once per attempt.</summary>
public delegate Task<PackageBody> PackageBodyOpener(CancellationToken ct);
