using Lgsp.Server.Jobs;

namespace Lgsp.Server.Tests.Jobs;

/// <summary>Jobs stored under the delivery jobs' former namespace still load after an upgrade.</summary>
public sealed class JobTypeNamesTests
{
    [Fact]
    public void The_former_name_of_the_delivery_jobs_resolves_to_the_delivery_jobs()
    {
        Assert.Equal(typeof(DeliveryJobs), JobTypeNames.Resolve("Lgsp.Server.Delivery.DeliveryJobs, Lgsp.Server"));
    }

    [Fact]
    public void Current_names_resolve_as_they_are()
    {
        Assert.Equal(typeof(DeliveryJobs), JobTypeNames.Resolve(typeof(DeliveryJobs).FullName + ", Lgsp.Server"));
        Assert.Equal(typeof(string), JobTypeNames.Resolve("System.String, mscorlib"));
    }
}
