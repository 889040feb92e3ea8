using Lgsp.Server.Outbound.Links;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>The parent link loops log a failing parent once per change of state, not once per poll.</summary>
public sealed class ParentLinkLoopTests
{
    [Fact]
    public void The_first_failure_is_reported_and_its_repeats_are_not()
    {
        var state = new ParentLinkLoop.FailureState();
        var refused = new HttpRequestException("Connection refused (127.0.0.1:9)");

        Assert.True(state.Changed(refused));
        Assert.False(state.Changed(new HttpRequestException("Connection refused (127.0.0.1:9)")));
        Assert.False(state.Changed(refused));
    }

    [Fact]
    public void A_different_failure_is_reported_again()
    {
        var state = new ParentLinkLoop.FailureState();
        state.Changed(new HttpRequestException("Connection refused (127.0.0.1:9)"));

        Assert.True(state.Changed(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout")));
    }

    [Fact]
    public void Recovery_is_reported_once_and_only_after_a_failure()
    {
        var state = new ParentLinkLoop.FailureState();
        Assert.False(state.Recovered());

        state.Changed(new HttpRequestException("Connection refused"));
        Assert.True(state.Recovered());
        Assert.False(state.Recovered());
        Assert.True(state.Changed(new HttpRequestException("Connection refused")));
    }
}
