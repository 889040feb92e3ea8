using Hangfire.Dashboard;
using Lgsp.Server.Inbound.Auth;

namespace Lgsp.Server.Hosting;

/// <summary>The jobs dashboard's own check, behind <see cref="AdminGate"/> (Hangfire otherwise allows
/// local requests only).</summary>
public sealed class AdminDashboardFilter : IDashboardAuthorizationFilter
{
    /// <inheritdoc />
    public bool Authorize(DashboardContext context) => AdminGate.IsAdmin(context.GetHttpContext());
}
