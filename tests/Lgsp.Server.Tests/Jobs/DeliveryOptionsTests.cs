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

    [Fact]
    public void A_configured_lease_no_longer_than_the_hub_request_timeout_is_refused_naming_both_settings_and_their_values()
    {
        var options = new DeliveryOptions { PushTimeout = TimeSpan.FromSeconds(5), Lease = TimeSpan.FromSeconds(10) };

        var error = Assert.Throws<InvalidOperationException>(() => options.Validate(hubRequestTimeout: TimeSpan.FromSeconds(30)));

        Assert.Contains("Hub:Delivery:Lease is 00:00:10", error.Message, StringComparison.Ordinal);
        Assert.Contains("Hub:Parent:RequestTimeout (00:00:30)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Hub:Delivery:PushTimeout (00:00:05)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_lease_no_longer_than_the_push_timeout_is_refused()
    {
        var options = new DeliveryOptions { PushTimeout = TimeSpan.FromSeconds(30), Lease = TimeSpan.FromSeconds(30) };

        var error = Assert.Throws<InvalidOperationException>(() => options.Validate(hubRequestTimeout: TimeSpan.FromSeconds(5)));

        Assert.Contains("Hub:Delivery:PushTimeout (00:00:30)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_lease_longer_than_both_timeouts_is_accepted()
    {
        var options = new DeliveryOptions { PushTimeout = TimeSpan.FromSeconds(5), Lease = TimeSpan.FromSeconds(10) };

        var error = Record.Exception(() => options.Validate(hubRequestTimeout: TimeSpan.FromSeconds(8)));

        Assert.Null(error);
    }

    [Fact]
    public void An_unset_lease_is_never_refused_since_it_is_derived_from_the_longer_timeout()
    {
        var options = new DeliveryOptions { PushTimeout = TimeSpan.FromMinutes(5) };

        var error = Record.Exception(() => options.Validate(hubRequestTimeout: TimeSpan.FromMinutes(10)));

        Assert.Null(error);
        Assert.True(options.LeaseFor(TimeSpan.FromMinutes(10)) > TimeSpan.FromMinutes(10));
    }
}
