namespace Lgsp.Exchange.Ledger;

/// <summary>The kinds of ledger entry. Stable strings: auditors and reports key on them.</summary>
public static class LedgerKind
{
    /// <summary>A package was accepted and stored (detail: system, from, DocumentId, SHA-256, size,
    /// signature verdict and signer, policy).</summary>
    public const string PackageReceived = "package.received";

    /// <summary>A package was refused; nothing else is stored for it (detail: kind, system, claimed
    /// from, code, field, SHA-256 and size of the body).</summary>
    public const string PackageRefused = "package.refused";

    /// <summary>A delivery was created for a recipient (detail: recipient, mode).</summary>
    public const string DeliveryCreated = "delivery.created";

    /// <summary>A recipient's retired code was followed to its successor (detail: from, to).</summary>
    public const string DeliveryRedirected = "delivery.redirected";

    /// <summary>The recipient's system fetched the package (pull).</summary>
    public const string DeliveryFetched = "delivery.fetched";

    /// <summary>A push attempt was claimed and is about to run: recipient, attempt number, peer (the
    /// endpoint, or <c>hub:ID</c> for a forward).</summary>
    public const string AttemptStarted = "attempt.started";

    /// <summary>A push attempt succeeded (detail: attempt, endpoint).</summary>
    public const string AttemptSucceeded = "attempt.succeeded";

    /// <summary>A push attempt failed (detail: attempt, error, permanent, next attempt).</summary>
    public const string AttemptFailed = "attempt.failed";

    /// <summary>The recipient's system reported it is processing the package (the axis protocol's
    /// <c>updateStatus processing</c>); the delivery stays pending.</summary>
    public const string DeliveryProcessing = "delivery.processing";

    /// <summary>The recipient's system confirmed it has the package.</summary>
    public const string DeliveryAcknowledged = "delivery.acknowledged";

    /// <summary>The delivery ended failed: the recipient refused it, a peer refused it permanently,
    /// or attempts ran out (detail: reason).</summary>
    public const string DeliveryFailed = "delivery.failed";

    /// <summary>An administrator replayed a failed delivery: it is due again (push: retrying with a fresh
    /// attempt budget; pull: pending). The actor is the administrator (detail: by, reason,
    /// previousState, previousError, previousErrorCode, newState, and the filter that selected it, or
    /// single).</summary>
    public const string DeliveryReplayed = "delivery.replayed";

    /// <summary>A status package was routed (detail: code, to, the delivery it updates).</summary>
    public const string StatusRouted = "status.routed";

    /// <summary>The directory changed (detail: what, by whom).</summary>
    public const string DirectoryChanged = "directory.changed";

    /// <summary>Trust material changed (detail: what, by whom).</summary>
    public const string TrustChanged = "trust.changed";

    /// <summary>This hub, as parent, recorded a child hub's checkpoint head and countersigned it
    /// (detail: hub, firstSeq, lastSeq, count, head, checkpointSha256).</summary>
    public const string WitnessRecorded = "witness.recorded";

    /// <summary>This hub received its parent's countersignature on one of its checkpoints (detail:
    /// witness, lastSeq, head, checkpointSha256).</summary>
    public const string WitnessCountersigned = "witness.countersigned";
}
