using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Storage;

/// <summary>What recording a child's checkpoint gave: the countersignature to answer with, and the
/// head this hub holds for that position (the checkpoint's own, or the one witnessed before).</summary>
/// <param name="Countersignature">The signed <see cref="Witness"/> stored for that position.</param>
/// <param name="Head">The head recorded for that position.</param>
/// <param name="New">True when this call recorded it (and wrote the ledger entry).</param>
public sealed record WitnessRecording(byte[] Countersignature, string Head, bool New);

/// <summary>A checkpoint of this hub that its parent has not countersigned yet.</summary>
/// <param name="LastSeq">The checkpoint's last seq.</param>
/// <param name="Xml">The signed checkpoint.</param>
public sealed record CheckpointToWitness(long LastSeq, byte[] Xml);

/// <summary>A parent's countersignature as the child stored it.</summary>
/// <param name="Witness">The witnessing hub.</param>
/// <param name="LastSeq">The checkpoint's last seq.</param>
/// <param name="Xml">The signed <see cref="Ledger.Witness"/>.</param>
public sealed record StoredCountersignature(string Witness, long LastSeq, byte[] Xml);

/// <summary>Witnessing across hubs: the parent's record of its children's heads, the child's
/// countersignatures, and what the witness check reads (docs/audit.md, "what witnessing adds").</summary>
/// <remarks>Implementations are thread safe. A method that returns has committed.</remarks>
public interface IWitnessStore
{
    /// <summary>Parent side: records a verified child checkpoint and the countersignature answering
    /// it, with a <see cref="LedgerKind.WitnessRecorded"/> entry, in one transaction. A position
    /// already recorded for that hub is not recorded again: the stored countersignature and head are
    /// returned (the caller compares heads).</summary>
    /// <param name="checkpoint">The verified checkpoint.</param>
    /// <param name="checkpointXml">Its signed bytes.</param>
    /// <param name="countersign">Signs the witness for the recording instant.</param>
    /// <param name="witness">This hub's id, recorded in the ledger detail.</param>
    /// <param name="actor">The calling system.</param>
    /// <param name="at">The recording instant.</param>
    /// <param name="ct">Cancels; nothing is stored.</param>
    Task<WitnessRecording> RecordWitnessAsync(Checkpoint checkpoint, byte[] checkpointXml, Func<DateTimeOffset, byte[]> countersign, string witness,
        string actor, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Child side: the latest checkpoint, when it lies after the last one
    /// <paramref name="witness"/> countersigned; null otherwise. The latest is enough: its head
    /// chains over every entry before it.</summary>
    Task<CheckpointToWitness?> NextUnwitnessedAsync(string witness, CancellationToken ct = default);

    /// <summary>Child side: stores a verified countersignature with a
    /// <see cref="LedgerKind.WitnessCountersigned"/> entry, in one transaction; false (and nothing
    /// written) when that witness's countersignature for that position is already stored.</summary>
    Task<bool> SaveCountersignatureAsync(Witness witness, byte[] xml, string actor, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Auditor, on the parent's database: every head it witnessed (its
    /// <see cref="LedgerKind.WitnessRecorded"/> entries), for <paramref name="hub"/> or every hub,
    /// by last seq.</summary>
    Task<IReadOnlyList<WitnessedHead>> WitnessedHeadsAsync(string? hub, CancellationToken ct = default);

    /// <summary>On the parent: the countersignatures it issued for the child hub <paramref name="hub"/>
    /// (as it answered them when witnessing), checkpoints ending after <paramref name="afterSeq"/>, at most
    /// <paramref name="max"/>, by last seq; <see cref="StoredCountersignature.Witness"/> is left empty
    /// for the caller to fill in.</summary>
    Task<IReadOnlyList<StoredCountersignature>> IssuedCountersignaturesAsync(string hub, long afterSeq, int max, CancellationToken ct = default);

    /// <summary>Auditor, on the child's database: the stored countersignatures, by last seq.</summary>
    Task<IReadOnlyList<StoredCountersignature>> CountersignaturesAsync(CancellationToken ct = default);

    /// <summary>Auditor, on the child's database: its ledger's entries up to <paramref name="throughSeq"/>,
    /// ascending, streamed (the witness check recomputes the chain over them).</summary>
    IAsyncEnumerable<LedgerEntry> EntriesAsync(long throughSeq, CancellationToken ct = default);
}
