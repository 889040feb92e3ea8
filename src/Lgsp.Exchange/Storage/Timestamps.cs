namespace Lgsp.Exchange.Storage;

/// <summary>Times as the hub records them: UTC, microsecond precision (PostgreSQL's), so a receipt
/// and the stored row state the same instant.</summary>
public static class Timestamps
{
    /// <summary>Drops sub-microsecond ticks.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);
}
