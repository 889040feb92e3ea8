using System.Net;

namespace Lgsp.Server.Tests.Inbound.Hostile;

/// <summary>A request body with a declared length sent in slices spread over <paramref name="over"/>: a
/// slow but honest client (far above Kestrel's minimum data rate), or, with <paramref name="stopAfter"/>,
/// one that stops sending before its declared length and closes its side; with <paramref name="chunked"/>,
/// no length is declared.</summary>
public sealed class PacedContent(byte[] bytes, TimeSpan over, int slices = 20, long? stopAfter = null, long? declared = null, bool chunked = false) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var end = (int)Math.Min(bytes.Length, stopAfter ?? bytes.Length);
        var slice = Math.Max(1, (end + slices - 1) / slices);
        for (var offset = 0; offset < end; offset += slice)
        {
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(slice, end - offset)));
            await stream.FlushAsync();
            await Task.Delay(over / slices);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = declared ?? bytes.Length;
        return !chunked;
    }
}
