using Hangfire.Common;

namespace Lgsp.Server.Jobs;

/// <summary>Resolves the job type names Hangfire stored. Jobs queued or scheduled before the server's
/// folders moved name <c>Lgsp.Server.Delivery.DeliveryJobs</c>; without this mapping they would fail to
/// load after an upgrade and wait for the reconciler instead of running on time.</summary>
internal static class JobTypeNames
{
    private const string FormerDeliveryJobs = "Lgsp.Server.Delivery.DeliveryJobs";

    /// <summary>The type a stored name means, former names included.</summary>
    public static Type Resolve(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        return TypeHelper.DefaultTypeResolver(typeName.StartsWith(FormerDeliveryJobs + ",", StringComparison.Ordinal)
            ? typeof(DeliveryJobs).FullName + typeName[FormerDeliveryJobs.Length..]
            : typeName);
    }
}
