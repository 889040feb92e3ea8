using System.Net;
using System.Net.Http.Headers;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Inbound.Axis.AxisHub;
using static Lgsp.Server.Tests.Inbound.Limits.LimitedRequests;

namespace Lgsp.Server.Tests.Inbound.Limits;

/// <summary>A flood meets the hub's limits (docs/security.md, "Limits"): HTTP 429 with Retry-After in the
/// door's own error shape, counted, while other callers keep being served.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RateLimitTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_flood_from_one_address_gets_429_with_Retry_After_while_a_client_at_another_address_is_still_served()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:PerAddress:Permits"] = "5",
            ["Hub:Limits:PerAddress:Window"] = "00:00:30",
        });
        var system = hub.Demo.Systems[0];

        var flood = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            flood.Add(await GetAgenciesAsync(hub.Http, hub, system.Id, system.Secret));
        }

        using var elsewhere = LoopbackSource.From("127.0.0.2", hub.BaseUri);
        var served = await GetAgenciesAsync(elsewhere, hub, system.Id, system.Secret);

        Assert.All(flood.Take(5), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(flood.Skip(5), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.Equal("RateLimited", await FaultCodeAsync(flood[^1]));
        Assert.InRange(RetryAfterSeconds(flood[^1]), 1, 30);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var metrics = await (await hub.GetAsAsync("/metrics", "admin", "admin-test-password")).Content.ReadAsStringAsync();
        Assert.Contains("lgsp_requests_limited_total{door=\"soap\",limit=\"address\"} 3", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(system.Id, metrics.Split('\n').Where(l => l.StartsWith("lgsp_requests_limited_total", StringComparison.Ordinal)).Aggregate("", string.Concat), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_axis_door_answers_a_flood_with_HTTP_429_and_its_own_FAIL_envelope()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:PerAddress:Permits"] = "3",
            ["Hub:Limits:PerAddress:Window"] = "00:00:30",
        });
        using var client = hub.Sdk(Commune);

        var answers = new List<Axis.Sdk.VxpResult>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await client.GetAgenciesListAsync());
        }

        Assert.All(answers.Take(3), a => Assert.Equal(200, a.HttpStatus));
        Assert.Equal((429, "FAIL", "RateLimited"), (answers[^1].HttpStatus, answers[^1].Status, answers[^1].ErrorCode));
    }

    [Fact]
    public async Task The_console_sign_in_page_answers_a_flood_from_one_address_with_429_in_both_languages()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:PerAddress:Permits"] = "3",
            ["Hub:Limits:PerAddress:Window"] = "00:00:30",
        });

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await hub.Http.GetAsync("/console/login"));
        }

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1].StatusCode);
        Assert.InRange(RetryAfterSeconds(answers[^1]), 1, 30);
        var text = await answers[^1].Content.ReadAsStringAsync();
        Assert.Contains("Quá nhiều yêu cầu", text, StringComparison.Ordinal);
        Assert.Contains("Too many requests", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_system_over_its_allowance_is_held_off_while_another_system_is_served()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:PerSystem:Permits"] = "3",
            ["Hub:Limits:PerSystem:Window"] = "00:00:30",
        });
        var (busy, other) = (hub.Demo.Systems[0], hub.Demo.Systems[1]);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAgenciesAsync(hub.Http, hub, busy.Id, busy.Secret)).StatusCode);
        }

        var held = await GetAgenciesAsync(hub.Http, hub, busy.Id, busy.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        Assert.Equal("RateLimited", await FaultCodeAsync(held));
        Assert.Equal(HttpStatusCode.OK, (await GetAgenciesAsync(hub.Http, hub, other.Id, other.Secret)).StatusCode);
    }

    [Fact]
    public async Task Health_and_metrics_have_a_window_of_their_own_per_address_that_a_flood_of_them_fills_without_closing_the_doors()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:Monitoring:Permits"] = "200",
            ["Hub:Limits:Monitoring:Window"] = "00:00:30",
        });
        var system = hub.Demo.Systems[0];

        var flood = new List<HttpResponseMessage>();
        for (var i = 0; i < 260; i++)
        {
            flood.Add(await hub.Http.GetAsync("/health/live"));
        }

        using var elsewhere = LoopbackSource.From("127.0.0.2", hub.BaseUri);
        var door = await GetAgenciesAsync(hub.Http, hub, system.Id, system.Secret);
        var probeElsewhere = await elsewhere.GetAsync("/health/live");

        // The readiness probes of the start may have spent a few of the window's permits already.
        Assert.InRange(flood.Count(r => r.StatusCode == HttpStatusCode.OK), 1, 200);
        Assert.Equal(HttpStatusCode.TooManyRequests, flood[^1].StatusCode);
        Assert.Contains("RateLimited", await flood[^1].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(RetryAfterSeconds(flood[^1]), 1, 30);
        Assert.Equal(HttpStatusCode.OK, door.StatusCode);
        Assert.Equal(HttpStatusCode.OK, probeElsewhere.StatusCode);
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:admin-test-password")));
        var metrics = await (await elsewhere.SendAsync(scrape)).Content.ReadAsStringAsync();
        Assert.Contains("lgsp_requests_limited_total{door=\"other\",limit=\"monitoring\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_beyond_the_large_body_concurrency_is_held_off_while_one_is_in_flight_and_small_requests_go_on()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:LargeBodies:Concurrency"] = "1",
            ["Hub:Limits:LargeBodies:Queue"] = "0",
        });
        var system = hub.Demo.Systems[0];
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slowClient = new HttpClient { BaseAddress = hub.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        var slow = slowClient.SendAsync(SendDocumentRequest(hub, system, new TrickleContent(release.Task)));

        try
        {
            // Probe only once the slow package holds the one permit (its body reserved in the memory
            // budget, which happens past the limiter): a probe racing it for the permit would leave
            // nothing in flight to be held off by.
            var inFlight = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (Hostile.HostileInputTests.MetricValue(await hub.Http.GetStringAsync("/metrics"), "lgsp_memory_budget_in_use_bytes") <= 0 && !slow.IsCompleted && DateTime.UtcNow < inFlight)
            {
                await Task.Delay(50);
            }

            Assert.False(slow.IsCompleted, "The slow package was answered before it was in flight.");
            HttpResponseMessage? held = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (held is null && DateTime.UtcNow < deadline)
            {
                var attempt = await hub.Http.SendAsync(SendDocumentRequest(hub, system, new ByteArrayContent(SoapSamples.Envelope(SoapVersion.Soap11, "<SendDocument xmlns=\"urn:lgsp:edoc:1\"/>"))));
                if (attempt.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    held = attempt;
                }
                else
                {
                    await Task.Delay(100);
                }
            }

            Assert.NotNull(held);
            Assert.Equal("RateLimited", await FaultCodeAsync(held));
            Assert.Equal(1, RetryAfterSeconds(held));
            Assert.Equal(HttpStatusCode.OK, (await GetAgenciesAsync(hub.Http, hub, system.Id, system.Secret)).StatusCode);
            Assert.False(slow.IsCompleted);
        }
        finally
        {
            release.SetResult();
            (await slow).Dispose();
        }
    }

    private static HttpRequestMessage SendDocumentRequest(RunningHub hub, Lgsp.Server.Demo.DemoSystem system, HttpContent content)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(SoapSamples.ContentType(SoapVersion.Soap11, EdocContract.ActionOf(EdocContract.SendDocument)));
        var request = new HttpRequestMessage(HttpMethod.Post, hub.SoapUri) { Content = content };
        request.Headers.Add("SOAPAction", $"\"{EdocContract.ActionOf(EdocContract.SendDocument)}\"");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{system.Id}:{system.Secret}")));
        return request;
    }

    /// <summary>A body of undeclared length that sends its start, then blanks until <c>release</c>.</summary>
    private sealed class TrickleContent(Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("<?xml version=\"1.0\"?>"u8.ToArray());
            await stream.FlushAsync();

            // Whitespace (allowed before the root element) at about 1 KB/s, well above Kestrel's minimum
            // data rate, so that the body stays in flight however long the test takes to be held off.
            var blank = new byte[64];
            Array.Fill(blank, (byte)' ');
            while (!release.IsCompleted)
            {
                await stream.WriteAsync(blank);
                await stream.FlushAsync();
                await Task.WhenAny(release, Task.Delay(50));
            }

            await stream.WriteAsync("<broken/>"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
