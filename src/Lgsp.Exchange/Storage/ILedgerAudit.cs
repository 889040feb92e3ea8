namespace Lgsp.Exchange.Storage;

/// <summary>The ledger's head as the audit screen shows it.</summary>
/// <param name="LastSeq">The highest seq written (0 for an empty ledger).</param>
/// <param name="SealedThrough">The last seq covered by a checkpoint (0 when none).</param>
/// <param name="LastCheckpoint">The latest checkpoint; null before the first.</param>
public sealed record LedgerHead(long LastSeq, long SealedThrough, CheckpointFigure? LastCheckpoint);

/// <summary>A checkpoint as stored.</summary>
/// <param name="FirstSeq">Its first seq.</param>
/// <param name="LastSeq">Its last seq.</param>
/// <param name="Head">Hex of the chain head it seals.</param>
/// <param name="SealedAt">When it was sealed.</param>
/// <param name="Signer">The subject of the certificate that signed it; null when its XML carries none.</param>
public sealed record CheckpointFigure(long FirstSeq, long LastSeq, string Head, DateTimeOffset SealedAt, string? Signer);

/// <summary>A ledger entry a person made in the console (actor <c>user:NAME</c>).</summary>
/// <param name="Seq">Its seq.</param>
/// <param name="At">When.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Actor">Who.</param>
/// <param name="DocumentId">The document it concerns, if any.</param>
/// <param name="Detail">Its detail (JSON): what changed.</param>
public sealed record ConsoleAction(long Seq, DateTimeOffset At, string Kind, string Actor, string? DocumentId, string Detail);

/// <summary>One page of console actions, newest first.</summary>
/// <param name="Actions">The actions.</param>
/// <param name="Next">The seq to page on from (exclusive); null on the last page.</param>
public sealed record ConsoleActionPage(IReadOnlyList<ConsoleAction> Actions, long? Next);

/// <summary>What a finished ledger check found.</summary>
public enum LedgerCheckOutcome
{
    /// <summary>The ledger holds.</summary>
    Holds,

    /// <summary>The ledger is broken; the run names the first break.</summary>
    Broken,

    /// <summary>The check could not run to its end (the database failed, the hub stopped).</summary>
    Failed,

    /// <summary>The check stopped reporting progress and was given up (its hub went away).</summary>
    Abandoned,
}

/// <summary>Which check a run is.</summary>
public enum LedgerCheckKind
{
    /// <summary><c>verify-ledger</c>: the hash chain and every checkpoint's signature, pinned to the hub's certificate.</summary>
    VerifyLedger,

    /// <summary><c>witness-check</c>: the chain recomputed and compared with every head the parent countersigned.</summary>
    WitnessCheck,
}

/// <summary>A ledger check (verify-ledger or witness-check) started from the console, running or finished.</summary>
/// <param name="Id">Its id.</param>
/// <param name="StartedBy">Who started it (<c>user:NAME</c>).</param>
/// <param name="StartedAt">When.</param>
/// <param name="FromSeq">Where the walk starts.</param>
/// <param name="ToSeq">The ledger's last seq when it started.</param>
/// <param name="CheckedThrough">The last seq walked so far; null before the first.</param>
/// <param name="FinishedAt">When it ended; null while it runs.</param>
/// <param name="Outcome">What it found; null while it runs.</param>
/// <param name="BreakSeq">The first break's seq, when broken.</param>
/// <param name="Problem">The first break, or why it failed.</param>
/// <param name="SealedEntries">Sealed entries checked (witness-check: entries recomputed).</param>
/// <param name="Checkpoints">Checkpoints checked (witness-check: witnessed heads found matching).</param>
/// <param name="Kind">Which check it is.</param>
public sealed record LedgerCheckRun(long Id, string StartedBy, DateTimeOffset StartedAt, long FromSeq, long ToSeq, long? CheckedThrough,
    DateTimeOffset? FinishedAt, LedgerCheckOutcome? Outcome, long? BreakSeq, string? Problem, long? SealedEntries, int? Checkpoints,
    LedgerCheckKind Kind = LedgerCheckKind.VerifyLedger)
{
    /// <summary>True while it runs.</summary>
    public bool Running => Outcome is null;

    /// <summary>How far it got, 0 to 100.</summary>
    public int Percent => Outcome is not null ? 100
        : ToSeq <= FromSeq ? 0
        : (int)Math.Clamp(((CheckedThrough ?? FromSeq) - FromSeq) * 100 / (ToSeq - FromSeq), 0, 99);
}

/// <summary>What the console's audit screen reads and its ledger checks record: the ledger head, the
/// console's own actions, and the stored check runs.</summary>
/// <remarks>Implementations are thread safe. A method that returns has committed.</remarks>
public interface ILedgerAudit
{
    /// <summary>The ledger head and the latest checkpoint.</summary>
    Task<LedgerHead> HeadAsync(CancellationToken ct = default);

    /// <summary>Entries whose actor is <c>user:…</c>, newest first, before seq <paramref name="before"/>
    /// (null: from the newest).</summary>
    Task<ConsoleActionPage> ConsoleActionsAsync(long? before, int max, CancellationToken ct = default);

    /// <summary>The latest check runs, newest first.</summary>
    Task<IReadOnlyList<LedgerCheckRun>> ChecksAsync(int max, CancellationToken ct = default);

    /// <summary>One check run; null when none has that id.</summary>
    Task<LedgerCheckRun?> CheckAsync(long id, CancellationToken ct = default);

    /// <summary>Records the start of a check of <paramref name="kind"/>; null (nothing written) while another
    /// one of that kind runs. First gives up running checks of that kind with no progress since
    /// <paramref name="staleBefore"/> (their hub went away).</summary>
    Task<LedgerCheckRun?> StartCheckAsync(string startedBy, long fromSeq, long toSeq, DateTimeOffset at, DateTimeOffset staleBefore,
        LedgerCheckKind kind = LedgerCheckKind.VerifyLedger, CancellationToken ct = default);

    /// <summary>Records how far a running check got (also its heartbeat).</summary>
    Task ProgressAsync(long id, long? checkedThrough, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Records a check's end, once.</summary>
    Task FinishCheckAsync(long id, LedgerCheckOutcome outcome, long? breakSeq, string? problem, long? sealedEntries, int? checkpoints, DateTimeOffset at,
        CancellationToken ct = default);
}

/// <summary>The outcome of asking for a check: the run started, or the one already running.</summary>
/// <param name="Run">The run started, or the one running.</param>
/// <param name="AlreadyRunning">True when <paramref name="Run"/> was already running (nothing started).</param>
public sealed record LedgerCheckStart(LedgerCheckRun? Run, bool AlreadyRunning);

/// <summary>Why witness-check cannot run on this hub.</summary>
/// <param name="Vietnamese">The reason in Vietnamese.</param>
/// <param name="English">The reason in English.</param>
public sealed record WitnessCheckUnavailable(string Vietnamese, string English);

/// <summary>Runs ledger checks in the hub, in the background: the console starts them through this
/// port and follows them through <see cref="ILedgerAudit"/>. The hub implements it.</summary>
public interface ILedgerChecks
{
    /// <summary>Starts verify-ledger over the whole ledger, pinned to the hub's signing certificate,
    /// unless a check already runs.</summary>
    Task<LedgerCheckStart> StartVerifyAsync(string startedBy, CancellationToken ct = default);

    /// <summary>Why witness-check cannot run on this hub (no parent hub, or none with a registered signing
    /// certificate), in Vietnamese and English; null when it can.</summary>
    Task<WitnessCheckUnavailable?> WitnessUnavailableAsync(CancellationToken ct = default);

    /// <summary>Starts witness-check (<see cref="Ledger.WitnessCheck"/>): the countersignatures the parent
    /// gave, each checked against the parent's registered signing certificate, compared with the chain
    /// recomputed from the current ledger; unless one already runs. Null Run when it cannot run here
    /// (<see cref="WitnessUnavailableAsync"/>).</summary>
    Task<LedgerCheckStart> StartWitnessCheckAsync(string startedBy, CancellationToken ct = default);
}
