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

    /// <summary>What <c>registerAgency</c> does with a client system's request to add an agency under its
    /// own: keep it for an operator's approval (the default), or refuse it.</summary>
    public AgencyRegistrationMode Registration { get; set; } = AgencyRegistrationMode.Approve;
}

/// <summary>The values of <c>Hub:Axis:Registration</c> (written <c>approve</c> or <c>refuse</c>).</summary>
public enum AgencyRegistrationMode
{
    /// <summary>A request waits, not routable, until an operator approves it (<c>lgsp agencies approve</c>).</summary>
    Approve,

    /// <summary>Every request is refused (<c>RegistrationClosed</c>): agencies are added by operators only.</summary>
    Refuse,
}
