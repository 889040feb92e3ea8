using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>One authenticated axis request as an operation sees it: the caller, its signed parameters and
/// the request's body.</summary>
/// <param name="caller">The authenticated caller.</param>
/// <param name="request">The HTTP request, for its body.</param>
/// <param name="maxBodyBytes">The largest body the operation takes (<see cref="IAxisOperation.MaxBodyBytes"/>).</param>
/// <remarks>One per request; not thread safe.</remarks>
public sealed class AxisCall(AxisCaller caller, HttpRequest request, long maxBodyBytes)
{
    private byte[]? _body;

    /// <summary>The authenticated caller and its signed parameters.</summary>
    public AxisCaller Caller => caller;

    /// <summary>The calling client system.</summary>
    public ClientSystem System => caller.System;

    /// <summary>A signed parameter (<see cref="AxisCaller.Get"/>); null when absent.</summary>
    public string? Get(string name) => caller.Get(name);

    /// <summary>The whole body, read once (later calls return the same bytes), at most the operation's
    /// limit (<see cref="AxisBodyLimits.ReadAsync"/>).</summary>
    /// <exception cref="ExchangeException"><c>TooLarge</c>: the body is over the operation's limit.</exception>
    public async Task<byte[]> ReadBodyAsync(CancellationToken ct) =>
        _body ??= await AxisBodyLimits.ReadAsync(request, maxBodyBytes, ct);

    /// <summary>The file a <c>sendEdoc</c> body carries, spooled as it arrives (ADR 0016): the SDK's raw
    /// body, or the single file part of a <c>multipart/form-data</c> body (other clients). The caller
    /// disposes the spool.</summary>
    /// <param name="spool">The empty spool to fill.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="ExchangeException">A multipart body without exactly one file part; <c>TooLarge</c>:
    /// the body is over the operation's limit.</exception>
    public async Task ReadFileAsync(PackageSpool spool, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spool);
        if (request.HasFormContentType && request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            // The form reader spools large parts to disk; an undeclared body is bounded by the server's
            // request body limit, Hub:MaxRequestBytes.
            AxisBodyLimits.RefuseDeclaredOver(request, maxBodyBytes);
            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count != 1)
            {
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "body", $"a multipart body must hold exactly one file part, not {form.Files.Count}");
            }

            await using var part = form.Files[0].OpenReadStream();
            await spool.WriteAsync(part, ct);
        }
        else
        {
            await AxisBodyLimits.SpoolAsync(request, maxBodyBytes, spool, ct);
        }

        spool.Complete();
    }
}
