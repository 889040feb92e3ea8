using System.Globalization;
using Lgsp.Server.Observability;
using Lgsp.Server.Tests.Inbound.Axis.Sdk;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Inbound.Limits.LimitedRequests;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>Wrong MACs on the axis protocol are throttled like wrong HTTP Basic secrets
/// (docs/security.md, "Limits"): past the limit the system id or the address is refused 429
/// <c>LoginLockedOut</c> before its secret is opened or any MAC computed, and the count is the same one
/// SOAP logins keep for that id.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AxisLoginThrottleTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Lockout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task After_three_wrong_macs_even_a_right_one_is_refused_LoginLockedOut_without_an_hmac_check_until_the_lockout_ends()
    {
        await using var hub = await StartAsync(failuresPerId: 3, failuresPerAddress: 100);
        var system = hub.System(AxisHub.Commune);
        var metrics = hub.Services.GetRequiredService<HubMetrics>();
        using var guesser = new VxpClient(hub.AxisUri.ToString(), system.Id, "wrong-secret");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await guesser.CountReceiveEdocAsync(AxisHub.EdocList)).HttpStatus);
        }

        var checks = metrics.SecretChecks("axis");
        using var owner = hub.Sdk(AxisHub.Commune);
        var held = await owner.CountReceiveEdocAsync(AxisHub.EdocList);

        Assert.Equal((429, "FAIL", "LoginLockedOut"), (held.HttpStatus, held.Status, held.ErrorCode));
        Assert.NotNull(held.Response!.Headers.RetryAfter);
        Assert.Equal(checks, metrics.SecretChecks("axis"));

        await Task.Delay(Lockout + TimeSpan.FromMilliseconds(300));
        var after = await owner.CountReceiveEdocAsync(AxisHub.EdocList);
        Assert.Equal((200, "OK"), (after.HttpStatus, after.Status));
        Assert.Equal(checks + 1, metrics.SecretChecks("axis"));
    }

    [Fact]
    public async Task Guessing_unknown_system_ids_from_one_address_holds_that_address_off_for_every_system()
    {
        await using var hub = await StartAsync(failuresPerId: 100, failuresPerAddress: 4);
        for (var i = 0; i < 4; i++)
        {
            using var guesser = new VxpClient(hub.AxisUri.ToString(), "guessed-" + i, "guess");
            Assert.Equal(401, (await guesser.CountReceiveEdocAsync(AxisHub.EdocList)).HttpStatus);
        }

        using var owner = hub.Sdk(AxisHub.Finance);
        var held = await owner.CountReceiveEdocAsync(AxisHub.EdocList);

        Assert.Equal((429, "LoginLockedOut"), (held.HttpStatus, held.ErrorCode));
    }

    [Fact]
    public async Task Wrong_macs_and_wrong_basic_secrets_for_one_system_add_up_to_one_count()
    {
        await using var hub = await StartAsync(failuresPerId: 3, failuresPerAddress: 100);
        var system = hub.System(AxisHub.Commune);
        using var guesser = new VxpClient(hub.AxisUri.ToString(), system.Id, "wrong-secret");
        Assert.Equal(401, (await guesser.CountReceiveEdocAsync(AxisHub.EdocList)).HttpStatus);
        Assert.Equal(401, (await guesser.CountReceiveEdocAsync(AxisHub.EdocList)).HttpStatus);
        Assert.Equal(401, (int)(await GetAgenciesAsync(hub.Http, hub, system.Id, "wrong-secret")).StatusCode);

        var soap = await GetAgenciesAsync(hub.Http, hub, system.Id, system.Secret);
        using var owner = hub.Sdk(AxisHub.Commune);
        var axis = await owner.CountReceiveEdocAsync(AxisHub.EdocList);

        Assert.Equal((429, "LoginLockedOut"), ((int)soap.StatusCode, await FaultCodeAsync(soap)));
        Assert.Equal((429, "LoginLockedOut"), (axis.HttpStatus, axis.ErrorCode));
    }

    private Task<RunningHub> StartAsync(int failuresPerId, int failuresPerAddress) =>
        RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:Login:FailuresPerId"] = failuresPerId.ToString(CultureInfo.InvariantCulture),
            ["Hub:Limits:Login:FailuresPerAddress"] = failuresPerAddress.ToString(CultureInfo.InvariantCulture),
            ["Hub:Limits:Login:Lockout"] = Lockout.ToString(),
        });
}
