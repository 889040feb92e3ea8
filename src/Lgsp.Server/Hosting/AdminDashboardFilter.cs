using Hangfire.Dashboard;
using Lgsp.Server.Inbound.Auth;

namespace Lgsp.Server.Hosting;

/// <summary>The jobs dashboard's own check, behind <see cref="AdminGate"/> (Hangfire otherwise allows
/// local requests only).</summary>
public sealed class AdminDashboardFilter : IDashboardAuthorizationFilter
{
    /// <inheritdoc />
    public bool Authorize(DashboardContext context)
    {
        try
        {
            return AdminGate.IsAdmin(context.GetHttpContext());
        }
        catch (Lgsp.Server.Inbound.Limits.LimitedException)
        {
            // Held off since the gate let the request through: a refusal, not an error.
            return false;
        }
    }
}
