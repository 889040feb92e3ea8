namespace Lgsp.Server.Observability;

/// <summary>The <c>/metrics</c> endpoint (configuration section <c>Hub:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>When true, <c>/metrics</c> needs the administrator's login like <c>/admin</c>. Off by
    /// default, so that a Prometheus scraper without credentials keeps working; the metrics carry counts
    /// by operation, code and state, never a client system or agency.</summary>
    public bool RequireAdmin { get; set; }
}
