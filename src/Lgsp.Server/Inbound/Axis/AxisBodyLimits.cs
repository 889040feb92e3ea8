using System.Buffers;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Errors;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>How large an axis request body may be and how it is read (docs/axis.md, "Body limits"): each
/// operation declares its limit (<see cref="IAxisOperation.MaxBodyBytes"/>); a larger declared
/// <c>Content-Length</c> is refused before reading, a longer undeclared (chunked) body as soon as the
/// limit is passed, both with <see cref="ErrorCode.TooLarge"/> on the field <c>body</c>.</summary>
/// <remarks>Thread safe.</remarks>
public static class AxisBodyLimits
{
    /// <summary>The limit of every operation whose body is empty, <c>{}</c> or a small JSON object
    /// (lists, counts, <c>getEdoc</c>, <c>updateStatus</c>, the directory operations, <c>registerAgency</c>).</summary>
    public const long SmallBodyBytes = 64 * 1024;

    /// <summary>The limit of <c>witnessCheckpoint</c>: one signed checkpoint, a few kilobytes with the
    /// child hub's certificate, and room to spare.</summary>
    public const long CheckpointBodyBytes = 256 * 1024;

    // The first chunk fits any SDK JSON body; later chunks double up to 1 MiB, so what is rented stays
    // within twice what arrived (and within what arrived plus 1 MiB for large bodies).
    private const int FirstChunkBytes = 4 * 1024;
    private const int LargestChunkBytes = 1024 * 1024;

    /// <summary>The refusal of a body over <paramref name="limit"/> bytes (the same shape as the hub's
    /// package limit always had: <c>TooLarge</c>, field <c>body</c>).</summary>
    public static ExchangeException TooLarge(long limit) =>
        new(EdxmlError.Create(ErrorCode.TooLarge, "body", "The request body", $"{limit} bytes"));

    /// <summary>Reads the whole body, at most <paramref name="limit"/> bytes, into an array of exactly the
    /// bytes received. The declared <c>Content-Length</c> only decides a refusal up front; it never sizes
    /// a buffer, so a lying length allocates nothing.</summary>
    /// <exception cref="ExchangeException"><see cref="TooLarge"/>: the declared length or the bytes
    /// received exceed the limit.</exception>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        RefuseDeclaredOver(request, limit);
        var chunks = new List<byte[]>();
        long total = 0;
        try
        {
            var chunk = ArrayPool<byte>.Shared.Rent(FirstChunkBytes);
            chunks.Add(chunk);
            var filled = 0;
            while (true)
            {
                if (filled == chunk.Length)
                {
                    chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(LargestChunkBytes, Math.Max(FirstChunkBytes, total)));
                    chunks.Add(chunk);
                    filled = 0;
                }

                var read = await request.Body.ReadAsync(chunk.AsMemory(filled), ct);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                total += read;
                if (total > limit)
                {
                    throw TooLarge(limit);
                }
            }

            return Concatenate(chunks, total);
        }
        finally
        {
            foreach (var rented in chunks)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Copies the whole body, at most <paramref name="limit"/> bytes, into <paramref name="spool"/>
    /// as it arrives (a package: never held whole, ADR 0016). As <see cref="ReadAsync"/>, the declared
    /// length only decides a refusal up front.</summary>
    /// <exception cref="ExchangeException"><see cref="TooLarge"/>: the declared length or the bytes
    /// received exceed the limit.</exception>
    public static async Task SpoolAsync(HttpRequest request, long limit, PackageSpool spool, CancellationToken ct)
    {
        RefuseDeclaredOver(request, limit);
        var chunk = ArrayPool<byte>.Shared.Rent(LargestChunkBytes);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (spool.Length + read > limit)
                {
                    throw TooLarge(limit);
                }

                spool.Write(chunk.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Refuses a declared <c>Content-Length</c> over <paramref name="limit"/> without reading.</summary>
    /// <exception cref="ExchangeException"><see cref="TooLarge"/>.</exception>
    public static void RefuseDeclaredOver(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }
    }

    private static byte[] Concatenate(List<byte[]> chunks, long total)
    {
        var body = new byte[total];
        var offset = 0;
        foreach (var chunk in chunks)
        {
            var length = (int)Math.Min(chunk.Length, total - offset);
            chunk.AsSpan(0, length).CopyTo(body.AsSpan(offset));
            offset += length;
        }

        return body;
    }
}
