namespace Lgsp.Server.Inbound.Auth;

/// <summary>The administrator account (HTTP Basic).</summary>
public sealed class AdminOptions
{
    /// <summary>User name.</summary>
    public string User { get; set; } = "admin";

    /// <summary>Password; with none configured the dashboard is closed (the demo start generates one).</summary>
    public string? Password { get; set; }
}
