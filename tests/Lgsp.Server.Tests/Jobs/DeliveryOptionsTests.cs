using Lgsp.Server.Jobs;

namespace Lgsp.Server.Tests.Jobs;

/// <summary>The lease of a push attempt covers the slower of its two kinds: a push to an agency and a
/// forward to another hub.</summary>
public sealed class DeliveryOptionsTests
{
    [Fact]
    public void By_default_the_lease_is_twice_the_push_timeout_plus_30_seconds_when_a_push_is_the_slower()
    {
        var options = new DeliveryOptions { PushTimeout = TimeSpan.FromSeconds(45) };
        Assert.Equal(TimeSpan.FromSeconds(120), options.LeaseFor(hubRequestTimeout: TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void By_default_the_lease_is_twice_the_hub_request_timeout_plus_30_seconds_when_a_forward_is_the_slower()
    {
        var options = new DeliveryOptions { PushTimeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(TimeSpan.FromSeconds(230), options.LeaseFor(hubRequestTimeout: TimeSpan.FromSeconds(100)));
    }

    [Fact]
    public void A_configured_lease_is_taken_as_it_is()
    {
        var options = new DeliveryOptions { PushTimeout = TimeSpan.FromSeconds(30), Lease = TimeSpan.FromMinutes(10) };
        Assert.Equal(TimeSpan.FromMinutes(10), options.LeaseFor(hubRequestTimeout: TimeSpan.FromSeconds(100)));
    }
}
