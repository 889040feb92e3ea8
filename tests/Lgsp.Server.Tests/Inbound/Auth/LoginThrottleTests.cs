using System.Net;
using System.Text.Json;
using Lgsp.Server.Observability;
using Lgsp.Server.Tests.Inbound.Limits;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Inbound.Limits.LimitedRequests;

namespace Lgsp.Server.Tests.Inbound.Auth;

/// <summary>Failed logins hold an id or an address off before any secret is checked
/// (docs/security.md, "Limits"): no PBKDF2 derivation on demand for a guesser, and an unknown id costs
/// what a known one does.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LoginThrottleTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Lockout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task After_three_wrong_secrets_even_the_right_one_is_held_off_without_a_derivation_until_the_lockout_ends()
    {
        await using var hub = await StartAsync(failuresPerId: 3, failuresPerAddress: 100);
        var system = hub.Demo.Systems[0];
        var metrics = hub.Services.GetRequiredService<HubMetrics>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAgenciesAsync(hub.Http, hub, system.Id, "wrong-secret")).StatusCode);
        }

        var derivations = metrics.SecretChecks("system");
        var held = await GetAgenciesAsync(hub.Http, hub, system.Id, system.Secret);
        var heldAgain = await GetAgenciesAsync(hub.Http, hub, system.Id, system.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        Assert.Equal("LoginLockedOut", await FaultCodeAsync(held));
        Assert.InRange(RetryAfterSeconds(held), 1, (int)Lockout.TotalSeconds);
        Assert.Equal(HttpStatusCode.TooManyRequests, heldAgain.StatusCode);
        Assert.Equal(derivations, metrics.SecretChecks("system"));

        await Task.Delay(Lockout + TimeSpan.FromMilliseconds(300));
        Assert.Equal(HttpStatusCode.OK, (await GetAgenciesAsync(hub.Http, hub, system.Id, system.Secret)).StatusCode);
        Assert.Equal(derivations + 1, metrics.SecretChecks("system"));
    }

    [Fact]
    public async Task An_unknown_id_costs_one_derivation_like_a_known_one_and_is_held_off_the_same_way()
    {
        await using var hub = await StartAsync(failuresPerId: 3, failuresPerAddress: 100);
        var metrics = hub.Services.GetRequiredService<HubMetrics>();
        var before = metrics.SecretChecks("system");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAgenciesAsync(hub.Http, hub, "no-such-system", "guess-" + i)).StatusCode);
        }

        Assert.Equal(before + 3, metrics.SecretChecks("system"));
        var held = await GetAgenciesAsync(hub.Http, hub, "no-such-system", "guess-4");
        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        Assert.Equal("LoginLockedOut", await FaultCodeAsync(held));
        Assert.Equal(before + 3, metrics.SecretChecks("system"));
    }

    [Fact]
    public async Task Guessing_many_ids_from_one_address_holds_that_address_off_while_another_address_logs_in()
    {
        await using var hub = await StartAsync(failuresPerId: 100, failuresPerAddress: 4);
        var system = hub.Demo.Systems[0];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAgenciesAsync(hub.Http, hub, "guessed-" + i, "guess")).StatusCode);
        }

        using var elsewhere = LoopbackSource.From("127.0.0.2", hub.BaseUri);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAgenciesAsync(hub.Http, hub, system.Id, system.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAgenciesAsync(elsewhere, hub, system.Id, system.Secret)).StatusCode);
    }

    [Fact]
    public async Task Administrator_password_guessing_is_held_off_after_the_limit_even_for_the_right_password()
    {
        await using var hub = await StartAsync(failuresPerId: 3, failuresPerAddress: 100);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await hub.GetAsAsync("/admin/api/deliveries", "admin", "guess-" + i)).StatusCode);
        }

        var held = await hub.GetAsAsync("/admin/api/deliveries", "admin", "admin-test-password");

        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        Assert.InRange(RetryAfterSeconds(held), 1, (int)Lockout.TotalSeconds);
        using var error = JsonDocument.Parse(await held.Content.ReadAsStringAsync());
        Assert.Equal("LoginLockedOut", error.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("messageVi").GetString()));

        await Task.Delay(Lockout + TimeSpan.FromMilliseconds(300));
        Assert.Equal(HttpStatusCode.OK, (await hub.GetAsAsync("/admin/api/deliveries", "admin", "admin-test-password")).StatusCode);
    }

    private Task<RunningHub> StartAsync(int failuresPerId, int failuresPerAddress) =>
        RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:Login:FailuresPerId"] = failuresPerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hub:Limits:Login:FailuresPerAddress"] = failuresPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hub:Limits:Login:Lockout"] = Lockout.ToString(),
        });
}
