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

    /// <summary>What one byte of request body costs in memory while it is held: decoded, parsed, checked,
    /// and the garbage the collector has not yet taken back. Measured at about 4.4 when a package was held
    /// whole (docs/security.md); default 5. Since packages are spooled (ADR 0016) it applies only to the
    /// first <see cref="ProportionalBytes"/> of a body.</summary>
    public double CostFactor { get; set; } = 5;

    /// <summary>How much of a body costs <see cref="CostFactor"/> per byte (default 16 MiB). A package
    /// above <c>Hub:Spool:MemoryThresholdBytes</c> waits in a temporary file and is judged and stored in
    /// streams; what still grows with its size is bounded by this (the signature check's document path
    /// stops at <c>PackageSignatureVerifier.DomMaxBytes</c>, 16 MiB). Set it to
    /// <c>Hub:MaxRequestBytes</c> to reserve every byte as before.</summary>
    public long ProportionalBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>What every large request costs whatever its size (default 24 MiB): the decode and copy
    /// buffers, the XML readers, the envelope's model, attachment and PDF buffers, the database driver's
    /// buffers and their garbage.</summary>
    public long RequestBytes { get; set; } = 24L * 1024 * 1024;

    /// <summary>How long a request waits for room before it is refused (default 5 s; also its
    /// <c>Retry-After</c>).</summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The bytes a request of <paramref name="bodyBytes"/> reserves.</summary>
    public long CostOf(long bodyBytes) => RequestBytes + (long)Math.Ceiling(Math.Min(bodyBytes, ProportionalBytes) * CostFactor);

    /// <summary>Stops the start on a budget that could never admit the largest request the hub takes.</summary>
    internal void Validate(long maxRequestBytes)
    {
        if (CostFactor is < 1 or > 100 || double.IsNaN(CostFactor))
        {
            throw LimitsOptions.Invalid("Hub:Limits:MemoryBudget:CostFactor", CostFactor, "it must be between 1 and 100");
        }

        if (ProportionalBytes < 0 || RequestBytes < 0)
        {
            throw LimitsOptions.Invalid(ProportionalBytes < 0 ? "Hub:Limits:MemoryBudget:ProportionalBytes" : "Hub:Limits:MemoryBudget:RequestBytes",
                Math.Min(ProportionalBytes, RequestBytes), "it must not be negative");
        }

        if (Wait < TimeSpan.Zero || Wait > TimeSpan.FromMinutes(1))
        {
            throw LimitsOptions.Invalid("Hub:Limits:MemoryBudget:Wait", Wait, "it must be between 0 and 1 minute");
        }

        if (Bytes < CostOf(maxRequestBytes))
        {
            throw LimitsOptions.Invalid("Hub:Limits:MemoryBudget:Bytes", Bytes,
                $"it must be at least the cost of the largest request (Hub:MaxRequestBytes {maxRequestBytes}, of which at most Hub:Limits:MemoryBudget:ProportionalBytes "
                + $"{ProportionalBytes} × CostFactor {CostFactor}, plus RequestBytes {RequestBytes}) = {CostOf(maxRequestBytes)}, "
                + "or the largest request the hub takes could never be admitted");
        }
    }
}
