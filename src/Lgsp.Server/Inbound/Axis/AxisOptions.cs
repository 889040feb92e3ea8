namespace Lgsp.Server.Inbound.Axis;

/// <summary>The national axis protocol (VXP) served for the SDK's clients (docs/axis.md).</summary>
public sealed class AxisOptions
{
    /// <summary>The base path; operations are its last path segment (<c>/vxp/sendEdoc</c>).</summary>
    public string BasePath { get; set; } = "/vxp";

    /// <summary>How long a <c>sendEdoc</c> resend (same system, same MAC) answers with the first package.</summary>
    public TimeSpan ResendWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A client timestamp further than this from the hub's clock (in any plausible time zone) is
    /// logged and counted as stale; it is never refused.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);
}
