namespace Lgsp.Exchange.Ledger;

/// <summary>The kinds of ledger entry. Stable strings: auditors and reports key on them. Each is made
/// by its factory, which documents when it is written and what its detail holds; docs/audit.md
/// ("What is recorded") lists them all.</summary>
public static class LedgerKind
{
    /// <summary>A package was accepted and stored: <see cref="PackageEntries.Received"/>.</summary>
    public const string PackageReceived = "package.received";

    /// <summary>A package was refused; nothing else is stored for it: <see cref="PackageEntries.Refused"/>.</summary>
    public const string PackageRefused = "package.refused";

    /// <summary>A delivery was created for a recipient: <see cref="DeliveryEntries.Created"/>.</summary>
    public const string DeliveryCreated = "delivery.created";

    /// <summary>A recipient's retired code was followed to its successor: <see cref="DeliveryEntries.Redirected"/>.</summary>
    public const string DeliveryRedirected = "delivery.redirected";

    /// <summary>The recipient's system fetched the package (pull): <see cref="DeliveryEntries.Fetched"/>.</summary>
    public const string DeliveryFetched = "delivery.fetched";

    /// <summary>A push attempt was claimed and is about to run: <see cref="AttemptEntries.Started"/>.</summary>
    public const string AttemptStarted = "attempt.started";

    /// <summary>A push attempt delivered the package: <see cref="AttemptEntries.Ended"/>.</summary>
    public const string AttemptSucceeded = "attempt.succeeded";

    /// <summary>A push attempt did not deliver the package: <see cref="AttemptEntries.Ended"/>.</summary>
    public const string AttemptFailed = "attempt.failed";

    /// <summary>The recipient's system reported it is processing the package (the axis protocol's
    /// <c>updateStatus processing</c>); the delivery stays pending: <see cref="DeliveryEntries.Processing"/>.</summary>
    public const string DeliveryProcessing = "delivery.processing";

    /// <summary>The recipient's system confirmed it has the package: <see cref="DeliveryEntries.Acknowledged"/>.</summary>
    public const string DeliveryAcknowledged = "delivery.acknowledged";

    /// <summary>The delivery ended failed: the recipient has no route
    /// (<see cref="DeliveryEntries.FailedWithoutRoute"/>), a peer refused it permanently or attempts ran
    /// out (<see cref="DeliveryEntries.FailedAfterAttempt"/>), or the recipient refused it
    /// (<see cref="DeliveryEntries.RefusedByRecipient"/>).</summary>
    public const string DeliveryFailed = "delivery.failed";

    /// <summary>An administrator replayed a failed delivery: it is due again (push: retrying with a fresh
    /// attempt budget; pull: pending): <see cref="DeliveryEntries.Replayed"/>.</summary>
    public const string DeliveryReplayed = "delivery.replayed";

    /// <summary>A status package was routed: <see cref="PackageEntries.StatusRouted"/>.</summary>
    public const string StatusRouted = "status.routed";

    /// <summary>The directory changed: the factories of <see cref="DirectoryEntries"/>, one per change.</summary>
    public const string DirectoryChanged = "directory.changed";

    /// <summary>A console user changed: the factories of <see cref="UserEntries"/>, one per change.</summary>
    public const string UserChanged = "user.changed";

    /// <summary>Trust material changed: the factories of <see cref="TrustEntries"/>, one per change.</summary>
    public const string TrustChanged = "trust.changed";

    /// <summary>This hub, as parent, recorded a child hub's checkpoint head and countersigned it:
    /// <see cref="WitnessEntries.Recorded"/>.</summary>
    public const string WitnessRecorded = "witness.recorded";

    /// <summary>This hub received its parent's countersignature on one of its checkpoints:
    /// <see cref="WitnessEntries.Countersigned"/>.</summary>
    public const string WitnessCountersigned = "witness.countersigned";
}
