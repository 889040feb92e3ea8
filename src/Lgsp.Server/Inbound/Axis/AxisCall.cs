using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>One authenticated axis request as an operation sees it: the caller, its signed parameters and
/// the request's body.</summary>
/// <param name="caller">The authenticated caller.</param>
/// <param name="request">The HTTP request, for its body.</param>
/// <remarks>One per request; not thread safe.</remarks>
public sealed class AxisCall(AxisCaller caller, HttpRequest request)
{
    private byte[]? _body;

    /// <summary>The authenticated caller and its signed parameters.</summary>
    public AxisCaller Caller => caller;

    /// <summary>The calling client system.</summary>
    public ClientSystem System => caller.System;

    /// <summary>A signed parameter (<see cref="AxisCaller.Get"/>); null when absent.</summary>
    public string? Get(string name) => caller.Get(name);

    /// <summary>The whole body, read once (later calls return the same bytes).</summary>
    public async Task<byte[]> ReadBodyAsync(CancellationToken ct)
    {
        if (_body is null)
        {
            using var buffer = request.ContentLength is { } length and < int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            _body = buffer.ToArray();
        }

        return _body;
    }

    /// <summary>The file a <c>sendEdoc</c> body carries: the SDK's raw body, or the single file part of a
    /// <c>multipart/form-data</c> body (other clients).</summary>
    /// <exception cref="ExchangeException">A multipart body without exactly one file part.</exception>
    public async Task<byte[]> ReadFileAsync(CancellationToken ct)
    {
        if (request.HasFormContentType && request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count != 1)
            {
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "body", $"a multipart body must hold exactly one file part, not {form.Files.Count}");
            }

            using var part = new MemoryStream();
            await form.Files[0].CopyToAsync(part, ct);
            return part.ToArray();
        }

        return await ReadBodyAsync(ct);
    }
}
