namespace Lgsp.Server.Ledger;

/// <summary>Ledger sealing (docs/audit.md).</summary>
public sealed class LedgerOptions
{
    /// <summary>Whether this instance seals. Any one instance sealing is enough; turning it off
    /// everywhere leaves new entries unsealed (verify-ledger reports them).</summary>
    public bool Sealer { get; set; } = true;

    /// <summary>How often to seal; zero pauses sealing like <see cref="Sealer"/> = false.</summary>
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most entries one checkpoint covers.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>How long one round waits for the transactions in flight when it starts before
    /// leaving their entries to the next round.</summary>
    public TimeSpan InFlightWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>True when this instance seals.</summary>
    public bool Sealing => Sealer && SealInterval > TimeSpan.Zero;

    /// <summary>How often this hub sends its latest checkpoint to its parent to be witnessed
    /// (docs/audit.md, "what witnessing adds"); zero turns witnessing off. Ignored without a parent.</summary>
    public TimeSpan WitnessInterval { get; set; } = TimeSpan.FromMinutes(5);
}
