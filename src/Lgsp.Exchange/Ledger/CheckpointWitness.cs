using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Ledger;

/// <summary>
/// The parent side of witnessing: a child hub sends its latest signed checkpoint; this hub checks
/// it, records the head in its own ledger and answers with a countersignature
/// (<see cref="Witness"/>) signed by its hub certificate.
/// </summary>
/// <remarks>
/// <para>Checks, in order: the caller is the inbound system of an active child hub; the checkpoint's
/// signature verifies, is by the signing certificate registered for that child hub
/// (<see cref="HubLink.SigningCertificate"/>; none registered: refused) and chains to this hub's
/// trust roots (and its CRLs); the checkpoint's hub is
/// the caller's hub; no other head was witnessed for that hub at that position. The first failure
/// is thrown as an <see cref="ExchangeException"/> and nothing is stored.</para>
/// <para>Idempotent: the same position (or the same checkpoint) sent again gets the countersignature
/// stored the first time.</para>
/// <para>Thread safe.</para>
/// </remarks>
public sealed class CheckpointWitness(HubIdentity hub, IDirectoryStore directory, TrustCache trust, IWitnessStore store, TimeProvider clock)
{
    /// <summary>Witnesses a child hub's checkpoint.</summary>
    /// <param name="caller">The authenticated client system.</param>
    /// <param name="checkpointXml">The signed checkpoint it sent.</param>
    /// <param name="ct">Cancels; nothing is stored.</param>
    /// <returns>The signed countersignature.</returns>
    /// <exception cref="ExchangeException">The checkpoint is refused (<see cref="HubErrorCode.NotChildHub"/>,
    /// <see cref="HubErrorCode.CheckpointInvalid"/>, <see cref="HubErrorCode.CheckpointConflict"/>).</exception>
    public async Task<byte[]> WitnessAsync(ClientSystem caller, byte[] checkpointXml, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(checkpointXml);
        var child = await ChildHubAsync(caller, ct);

        // Any seal under the root chains; only the child's registered certificate may sign its checkpoints.
        var signer = child.SignerCheck(await trust.GetAsync(ct))
            ?? throw ExchangeException.Of(HubErrorCode.CheckpointInvalid, "Checkpoint",
                $"no signing certificate is registered for hub {child.Id} (lgsp hubs add --id {child.Id} --signing-cert FILE)");
        var verdict = Checkpoint.Verify(checkpointXml, signer);
        if (verdict.Checkpoint is not { } checkpoint || !verdict.IsTrusted)
        {
            throw ExchangeException.Of(HubErrorCode.CheckpointInvalid, "Checkpoint", verdict.Problem ?? "checkpoint signer not trusted");
        }

        if (checkpoint.Hub != caller.Hub)
        {
            throw ExchangeException.Of(HubErrorCode.CheckpointInvalid, "Checkpoint/Hub",
                $"it is sealed by hub {checkpoint.Hub}, but the caller is hub {caller.Hub}");
        }

        var recording = await store.RecordWitnessAsync(checkpoint, checkpointXml,
            at => Witness.Of(checkpoint, checkpointXml, hub.Id, at).Sign(hub), hub.Id, caller.Id, clock.GetUtcNow(), ct);
        if (!string.Equals(recording.Head, checkpoint.Head, StringComparison.Ordinal))
        {
            throw ExchangeException.Of(HubErrorCode.CheckpointConflict, "Checkpoint/Head", checkpoint.Hub, checkpoint.LastSeq, recording.Head, checkpoint.Head);
        }

        return recording.Countersignature;
    }

    /// <summary>The most countersignatures one call gives (<see cref="IssuedToAsync"/>).</summary>
    public const int MaxIssuedPerCall = 200;

    /// <summary>The countersignatures this hub issued to the calling child hub, for checkpoints ending after
    /// <paramref name="afterSeq"/>, by last seq, at most <see cref="MaxIssuedPerCall"/>: what the child's
    /// auditor compares its ledger with over the hub-to-hub channel (<c>lgsp audit witness-check
    /// --witness-url</c>). A child sees only its own.</summary>
    /// <exception cref="ExchangeException">The caller is not an active child hub (<see cref="HubErrorCode.NotChildHub"/>).</exception>
    public async Task<IReadOnlyList<StoredCountersignature>> IssuedToAsync(ClientSystem caller, long afterSeq, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var child = await ChildHubAsync(caller, ct);
        var issued = await store.IssuedCountersignaturesAsync(child.Id, afterSeq, MaxIssuedPerCall, ct);
        return [.. issued.Select(one => one with { Witness = hub.Id })];
    }

    private async Task<HubLink> ChildHubAsync(ClientSystem caller, CancellationToken ct) =>
        caller.Hub is not null && await directory.FindHubAsync(caller.Hub, ct) is { Role: HubRole.Child, Active: true } child
            ? child
            : throw ExchangeException.Of(HubErrorCode.NotChildHub, "systemid", caller.Id);
}
