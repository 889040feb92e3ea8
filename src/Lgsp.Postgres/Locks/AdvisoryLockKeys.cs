using Lgsp.Exchange.Storage;

namespace Lgsp.Postgres.Locks;

/// <summary>Every PostgreSQL advisory lock key the hub takes, in one place so that no two uses share one.</summary>
/// <remarks>The values never change: instances of different versions sharing a database during an
/// upgrade must take the same locks.</remarks>
internal static class AdvisoryLockKeys
{
    /// <summary>Held by a migration run for its whole duration (session lock): the bytes of "LGSPMIGR".</summary>
    public const long Migration = 0x4C47_5350_4D49_4752;

    /// <summary>Held by the ledger sealer for one batch (transaction lock): the bytes of "LGSPSEAL".</summary>
    public const long LedgerSeal = 0x4C47_5350_5345_414C;

    /// <summary>The key space of recording a child's checkpoint (transaction lock), combined with a hash
    /// of the child hub's id so that recordings for one hub are serialised: the bytes of "LGSPWITN".</summary>
    public const long WitnessRecording = 0x4C47_5350_5749_544E;

    /// <summary>Held while the report rollups are written (transaction lock): the bytes of "LGSPRPRT".</summary>
    public const long ReportRollup = 0x4C47_5350_5250_5254;

    /// <summary>The lock of <see cref="ExclusiveWork.ParentPoll"/> (session lock).</summary>
    public const long ParentPoll = 0x6c67_7370_0001;

    /// <summary>The lock of <see cref="ExclusiveWork.DirectorySync"/> (session lock).</summary>
    public const long DirectorySync = 0x6c67_7370_0002;

    /// <summary>The lock of <see cref="ExclusiveWork.Witnessing"/> (session lock).</summary>
    public const long Witnessing = 0x6c67_7370_0003;

    /// <summary>The lock of <see cref="ExclusiveWork.KeyRingStart"/> (session lock).</summary>
    public const long KeyRingStart = 0x6c67_7370_0004;

    /// <summary>The lock of <paramref name="work"/>.</summary>
    public static long Of(ExclusiveWork work) => work switch
    {
        ExclusiveWork.ParentPoll => ParentPoll,
        ExclusiveWork.DirectorySync => DirectorySync,
        ExclusiveWork.Witnessing => Witnessing,
        ExclusiveWork.KeyRingStart => KeyRingStart,
        _ => throw new ArgumentOutOfRangeException(nameof(work), work, "No advisory lock for this work."),
    };
}
