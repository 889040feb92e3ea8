using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Accept;

/// <summary>
/// The axis protocol's resend de-duplication (docs/axis.md, <c>sendEdoc</c>): the national SDK's
/// transports resend a request byte for byte after a dropped connection, with the same frozen timestamp
/// and so the same MAC. Within <see cref="Length"/> of the first call, a call from the same system with
/// the same MAC answers with the package that call stored, and nothing is accepted again.
/// </summary>
/// <remarks>The (system, MAC) pair is remembered only after the accept path has committed the package: if
/// the hub stops between the two, the resend reaches the accept path again, whose own de-duplication (same
/// sender, same bytes) answers with the same package. Thread safe.</remarks>
public sealed class ResendWindow(IResendLog log, TimeProvider clock, TimeSpan length)
{
    /// <summary>How long after the first call a resend is answered from the record.</summary>
    public TimeSpan Length => length;

    /// <summary>Accepts a <c>sendEdoc</c> once per (system, MAC) within the window.</summary>
    /// <param name="systemId">The calling client system.</param>
    /// <param name="mac">The request's MAC (<c>XroadVnpt-hash-header</c>), lower case.</param>
    /// <param name="accept">The accept path for this call; not run for a resend.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The earlier call's package and receipt for a resend, otherwise those
    /// <paramref name="accept"/> gave.</returns>
    /// <exception cref="Errors.ExchangeException">The accept path refused the package; nothing is
    /// remembered.</exception>
    public async Task<SendAnswer> AcceptOnceAsync(string systemId, string mac, Func<CancellationToken, Task<Acceptance>> accept, CancellationToken ct = default)
    {
        if (await log.FindResendAsync(systemId, mac, clock.GetUtcNow() - length, ct) is { } resend)
        {
            return new SendAnswer(resend.PackageId, resend.Receipt, Resend: true);
        }

        var acceptance = await accept(ct);
        await log.RecordSendAsync(systemId, mac, acceptance.PackageId, acceptance.ReceivedAt, ct);
        return new SendAnswer(acceptance.PackageId, acceptance.Receipt, Resend: false);
    }
}

/// <summary>What a <c>sendEdoc</c> answers with.</summary>
/// <param name="PackageId">The stored package (the answer's <c>DocId</c>).</param>
/// <param name="Receipt">The receipt issued when it was stored.</param>
/// <param name="Resend">True when the call was a resend answered from the record of the first.</param>
public sealed record SendAnswer(long PackageId, byte[] Receipt, bool Resend);
