using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Storage;

/// <summary>One local day's traffic.</summary>
/// <param name="Day">The day, in the province's time zone.</param>
/// <param name="Accepted">Documents accepted (packages, not recipients).</param>
/// <param name="Delivered">Deliveries whose recipient got the document that day.</param>
/// <param name="Acknowledged">Deliveries confirmed that day.</param>
/// <param name="Failed">Deliveries that failed that day and are still failed.</param>
public sealed record DayFigures(DateOnly Day, long Accepted, long Delivered, long Acknowledged, long Failed);

/// <summary>Deliveries waiting now.</summary>
/// <param name="Pending">Waiting for the recipient (pull) or their first push.</param>
/// <param name="Retrying">A push failed transiently; another attempt is due.</param>
/// <param name="Failed">Dead letters, waiting for a replay.</param>
public sealed record WaitingFigures(long Pending, long Retrying, long Failed);

/// <summary>A recipient or hub whose deliveries failed recently.</summary>
/// <param name="Peer">An agency code, or a hub id when <paramref name="IsHub"/>.</param>
/// <param name="IsHub">True for a hub link.</param>
/// <param name="Failed">Deliveries to it that failed in the window.</param>
/// <param name="LastFailedAt">The latest of them.</param>
public sealed record FailingPeer(string Peer, bool IsHub, long Failed, DateTimeOffset LastFailedAt);

/// <summary>The ledger's sealing and witnessing, as far as the overview shows them.</summary>
/// <param name="Unsealed">Entries not yet covered by a checkpoint.</param>
/// <param name="OldestUnsealedAt">When the oldest of them was written; null when all are sealed.</param>
/// <param name="LastCheckpointAt">When the latest checkpoint was sealed; null before the first.</param>
/// <param name="LastWitnessed">The latest countersignature a parent gave this hub; null when none.</param>
public sealed record SealFigures(long Unsealed, DateTimeOffset? OldestUnsealedAt, DateTimeOffset? LastCheckpointAt, WitnessFigure? LastWitnessed);

/// <summary>A countersigned (or witnessed) checkpoint.</summary>
/// <param name="Hub">The parent that countersigned it, or the child whose checkpoint this hub witnessed.</param>
/// <param name="LastSeq">The checkpoint's last seq.</param>
/// <param name="At">When it was countersigned (received, or recorded).</param>
public sealed record WitnessFigure(string Hub, long LastSeq, DateTimeOffset At);


/// <summary>An agency's signing certificate near its end.</summary>
/// <param name="Agency">The agency.</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="NotAfter">When it ends.</param>
public sealed record ExpiringCertificate(string Agency, string Subject, DateTimeOffset NotAfter);


/// <summary>A hub link with how it is doing.</summary>
/// <param name="Link">The directory's record (its secret is not read).</param>
/// <param name="Waiting">Deliveries to go through it, pending or retrying.</param>
/// <param name="Failed">Deliveries through it that failed and wait for a replay.</param>
/// <param name="LastDeliveredAt">When the latest delivery through it reached it (pushed, or fetched by
/// the child's poll); null when none did.</param>
/// <param name="Witness">The latest checkpoint countersigned across the link: by the parent for this
/// hub, or by this hub for the child; null when none.</param>
/// <param name="LastPollAt">The last successful poll across the link: this hub's of the parent (both
/// lists answered), or the child's last call to this hub (its inbound system's, to the minute); null
/// when none is known.</param>
public sealed record HubLinkFigures(HubLink Link, long Waiting, long Failed, DateTimeOffset? LastDeliveredAt, WitnessFigure? Witness, DateTimeOffset? LastPollAt = null);

/// <summary>The figures the console's overview and hub links screens show: each one read with an
/// indexed query whose cost follows the rows it counts in its window, not the size of the store.</summary>
/// <remarks>Implementations are thread safe.</remarks>
public interface IHubFigures
{
    /// <summary>Traffic per local day, from <paramref name="firstDay"/> for <paramref name="days"/> days
    /// (days without traffic included, zero).</summary>
    Task<IReadOnlyList<DayFigures>> DailyAsync(DateOnly firstDay, int days, TimeZoneInfo zone, CancellationToken ct = default);

    /// <summary>Deliveries waiting now.</summary>
    Task<WaitingFigures> WaitingAsync(CancellationToken ct = default);

    /// <summary>Recipients and hub links whose deliveries failed since <paramref name="since"/>, most failures first.</summary>
    Task<IReadOnlyList<FailingPeer>> FailingPeersAsync(DateTimeOffset since, int max, CancellationToken ct = default);

    /// <summary>Sealing and witnessing.</summary>
    Task<SealFigures> SealAsync(CancellationToken ct = default);

    /// <summary>Agencies' signing certificates ending before <paramref name="until"/>, soonest first (the
    /// roots, intermediates and CRLs are <see cref="Directory.TrustStatus"/>'s).</summary>
    Task<IReadOnlyList<ExpiringCertificate>> ExpiringSignersAsync(DateTimeOffset until, CancellationToken ct = default);

    /// <summary>Every hub link (parent first) with its backlog, last delivery and witness.</summary>
    Task<IReadOnlyList<HubLinkFigures>> HubLinksAsync(CancellationToken ct = default);
}
