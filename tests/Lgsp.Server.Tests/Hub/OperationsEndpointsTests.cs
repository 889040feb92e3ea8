using System.Net;
using System.Xml.Linq;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Hub;

/// <summary>What operators look at: health, metrics, the WSDL, and the dashboard behind the administrator login.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OperationsEndpointsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private RunningHub _hub = null!;

    public async Task InitializeAsync() => _hub = await RunningHub.StartAsync(postgres);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task TheHubIsLiveAndReadyWhenItsDatabaseAndJobServerAnswer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _hub.Http.GetAsync("/health/live")).StatusCode);

        // The job server announces itself on a background thread after the hub starts listening, so the
        // first moments may rightly answer "not ready"; the hub must become ready without help.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var ready = await _hub.Http.GetAsync("/health/ready");
        while (ready.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            ready = await _hub.Http.GetAsync("/health/ready");
        }

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheDashboardAsksForTheAdministratorAndOpensForThem()
    {
        var anonymous = await _hub.Http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        var system = _hub.System("000.00.61.H56");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _hub.GetAsAsync("/hangfire", system.Id, system.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _hub.GetAsAsync("/hangfire", "admin", "admin-test-password")).StatusCode);
    }

    [Fact]
    public async Task TheWsdlIsServedWithTheHubsOwnAddress()
    {
        var wsdl = XDocument.Parse(await _hub.Http.GetStringAsync("/soap/edoc?wsdl"));
        var locations = wsdl.Descendants().Where(e => e.Name.LocalName == "address").Select(e => e.Attribute("location")?.Value).ToList();
        Assert.NotEmpty(locations);
        Assert.All(locations, l => Assert.Equal(_hub.SoapUri.ToString(), l));
    }

    [Fact]
    public async Task AcceptedPackagesLatencyAndDeliveriesByStateAreInTheMetrics()
    {
        await using var client = _hub.Client("000.00.61.H56");
        await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument("000.00.61.H56", ["000.00.02.H56", "000.00.03.H56"]) });

        var metrics = await _hub.Http.GetStringAsync("/metrics");
        Assert.Contains("lgsp_packages_accepted_total{kind=\"document\",duplicate=\"false\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("lgsp_accept_duration_seconds_count{kind=\"document\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("lgsp_deliveries{state=\"pending\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("lgsp_queue_depth{kind=\"enqueued\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithRequireAdminTheMetricsAskForTheAdministratorAndNameNoClientSystem()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:Metrics:RequireAdmin"] = "true" });
        var system = hub.System("000.00.61.H56");
        using var stale = Inbound.Axis.AxisHub.Sdk(hub, "000.00.61.H56", constructedAt: new DateTime(2019, 6, 1, 8, 30, 0));
        Assert.Equal("OK", (await stale.CountReceiveEdocAsync(Inbound.Axis.AxisHub.EdocList)).Status);

        var anonymous = await hub.Http.GetAsync("/metrics");
        var asSystem = await hub.GetAsAsync("/metrics", system.Id, system.Secret);
        var asAdmin = await hub.GetAsAsync("/metrics", "admin", "admin-test-password");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asSystem.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        var metrics = await asAdmin.Content.ReadAsStringAsync();
        Assert.Contains("lgsp_axis_stale_timestamps_total", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(system.Id, metrics, StringComparison.Ordinal);
    }
}
