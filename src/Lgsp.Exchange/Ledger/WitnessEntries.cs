namespace Lgsp.Exchange.Ledger;

/// <summary>The ledger entries of witnessing (docs/audit.md, "What witnessing adds"): a parent hub
/// recording a child's checkpoint head, and a child keeping its parent's countersignature.</summary>
public static class WitnessEntries
{
    /// <summary><see cref="LedgerKind.WitnessRecorded"/>: this hub, as parent, recorded a child hub's
    /// checkpoint head and countersigned it, in the transaction that keeps the checkpoint.</summary>
    /// <param name="checkpoint">The child's checkpoint. Detail: its <c>hub</c>, <c>firstSeq</c>,
    /// <c>lastSeq</c>, <c>count</c> and <c>head</c>.</param>
    /// <param name="checkpointSha256">Detail <c>checkpointSha256</c>: of the signed checkpoint bytes
    /// (<see cref="Witness.Sha256Hex"/>).</param>
    /// <param name="witness">Detail <c>witness</c>: this hub's id.</param>
    /// <param name="actor">The child hub's calling system.</param>
    /// <param name="witnessedAt">When, as the countersignature states it.</param>
    public static NewLedgerEntry Recorded(Checkpoint checkpoint, string checkpointSha256, string witness, string actor, DateTimeOffset witnessedAt)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new NewLedgerEntry(LedgerKind.WitnessRecorded, actor, witnessedAt, new
        {
            hub = checkpoint.Hub,
            firstSeq = checkpoint.FirstSeq,
            lastSeq = checkpoint.LastSeq,
            count = checkpoint.Count,
            head = checkpoint.Head,
            checkpointSha256,
            witness,
        });
    }

    /// <summary><see cref="LedgerKind.WitnessCountersigned"/>: this hub stored its parent's verified
    /// countersignature on one of its checkpoints.</summary>
    /// <param name="witness">What the countersignature states. Detail: <c>witness</c> (the parent),
    /// <c>lastSeq</c>, <c>head</c>, <c>checkpointSha256</c>, and <c>witnessedAt</c> in the chain's time
    /// format (<see cref="LedgerChain.FormatAt"/>).</param>
    /// <param name="actor">Who stored it (<c>hub</c>).</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry Countersigned(Witness witness, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(witness);
        return new NewLedgerEntry(LedgerKind.WitnessCountersigned, actor, at, new
        {
            witness = witness.WitnessHub,
            lastSeq = witness.LastSeq,
            head = witness.Head,
            checkpointSha256 = witness.CheckpointSha256,
            witnessedAt = LedgerChain.FormatAt(witness.WitnessedAt),
        });
    }
}
