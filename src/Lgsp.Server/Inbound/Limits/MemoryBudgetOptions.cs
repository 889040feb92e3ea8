namespace Lgsp.Server.Inbound.Limits;

/// <summary>The memory budget shared by every large request in flight (<c>Hub:Limits:MemoryBudget</c>;
/// docs/security.md, "Limits"): a request with a package or a large body reserves what it will cost in
/// memory before its body is read, and one that cannot reserve within <see cref="Wait"/> is answered 503
/// <c>HubBusy</c> with <c>Retry-After</c> instead of pushing the hub out of memory.</summary>
public sealed class MemoryBudgetOptions
{
    /// <summary>The bytes all large requests in flight may cost together (default 1 GiB). The hub's own
    /// baseline (runtime, caches, pools) comes on top.</summary>
    public long Bytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>What one byte of request body costs in memory while the request is processed: the body
    /// decoded, the package parsed, its attachments decoded, the signature checked and the garbage the
    /// collector has not yet taken back. Measured at about 4.4 (the hub process's peak resident memory
    /// over concurrent 7 MB sends, docs/security.md); default 5.</summary>
    public double CostFactor { get; set; } = 5;

    /// <summary>How long a request waits for room before it is refused (default 5 s; also its
    /// <c>Retry-After</c>).</summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The bytes a request of <paramref name="bodyBytes"/> reserves.</summary>
    public long CostOf(long bodyBytes) => (long)Math.Ceiling(bodyBytes * CostFactor);

    /// <summary>Stops the start on a budget that could never admit the largest request the hub takes.</summary>
    internal void Validate(long maxRequestBytes)
    {
        if (CostFactor is < 1 or > 100 || double.IsNaN(CostFactor))
        {
            throw LimitsOptions.Invalid("Hub:Limits:MemoryBudget:CostFactor", CostFactor, "it must be between 1 and 100");
        }

        if (Wait < TimeSpan.Zero || Wait > TimeSpan.FromMinutes(1))
        {
            throw LimitsOptions.Invalid("Hub:Limits:MemoryBudget:Wait", Wait, "it must be between 0 and 1 minute");
        }

        if (Bytes < CostOf(maxRequestBytes))
        {
            throw LimitsOptions.Invalid("Hub:Limits:MemoryBudget:Bytes", Bytes,
                $"it must be at least Hub:MaxRequestBytes ({maxRequestBytes}) × Hub:Limits:MemoryBudget:CostFactor ({CostFactor}) = {CostOf(maxRequestBytes)}, "
                + "or the largest request the hub takes could never be admitted");
        }
    }
}
