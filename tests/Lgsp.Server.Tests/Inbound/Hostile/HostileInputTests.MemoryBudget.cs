using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Lgsp.Server.Tests.Inbound.Axis.Sdk;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using Xunit.Abstractions;

namespace Lgsp.Server.Tests.Inbound.Hostile;

/// <summary>The memory budget large requests share (docs/security.md, "Limits"), on a real hub process:
/// admission control, not out of memory.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class HostileInputTests(PostgresFixture postgres, HostileHub fixture, ITestOutputHelper output) : IClassFixture<HostileHub>
{
    [Fact(Timeout = 120_000)]
    public async Task Eight_concurrent_large_sends_beyond_the_budget_are_admitted_or_answered_503_with_Retry_After_and_none_is_lost()
    {
        var hub = await HubAsync();
        var refusedBefore = MetricValue(await hub.MetricsAsync(), "lgsp_memory_budget_refusals_total");
        var sends = Enumerable.Range(0, 8)
            .Select(i => (Axis: i % 2 == 1, Package: hub.Signed(TestPackages.Document(HostileHub.NormalAgency, [HostileHub.Recipient], attachmentBytes: 5_000_000), hub.Normal)))
            .ToList();
        var baseline = hub.ResetPeak();

        // Each admitted send holds its reservation while its body arrives (12 s for the first wave, 8 s for
        // the axis sends, 6 s for the last wave), far longer than it takes the later waves to start and the
        // ones that find no room to wait their second and be refused, even on a machine the whole suite
        // shares: the outcome does not depend on the machine's speed. Two SOAP sends start first (about 45 MB reserved each), then the four axis sends (about
        // 34 MB each: two fit), then the last two SOAP sends, so both doors have sends admitted and refused.
        // Each wave starts once the one before holds its reservations.
        var answers = new ConcurrentDictionary<int, (int Status, string? Code, TimeSpan? RetryAfter)>();
        var running = new List<Task>();
        long Cost(int i) => (long)Math.Ceiling((sends[i].Axis ? sends[i].Package.Length + 2 : EdocHttp.SendDocumentEnvelope(sends[i].Package).Length) * HostileHub.CostFactor);
        var waves = new (Func<int, bool> Sends, long Holding)[]
        {
            (i => i is 0 or 2, Cost(0) + Cost(2)),
            (i => i % 2 == 1, Cost(0) + Cost(2) + 2 * Math.Min(Cost(1), Cost(3))),
            (i => i is 4 or 6, 0),
        };
        foreach (var wave in waves)
        {
            running.AddRange(sends.Select((send, i) => (send, i)).Where(s => wave.Sends(s.i)).Select(s => Task.Run(async () =>
                answers[s.i] = s.send.Axis ? await SendAxisAsync(hub, s.send.Package, TimeSpan.FromSeconds(8)) : await SendSoapAsync(hub, s.send.Package, TimeSpan.FromSeconds(s.i is 0 or 2 ? 12 : 6)))));
            var waiting = Stopwatch.StartNew();
            while (MetricValue(await hub.MetricsAsync(), "lgsp_memory_budget_in_use_bytes") < wave.Holding && waiting.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(50);
            }
        }

        await Task.WhenAll(running);

        var peak = hub.PeakBytes() - baseline;
        var admitted = answers.Where(a => a.Value.Status == 200).Select(a => a.Key).ToList();
        var admittedBodies = admitted.Sum(i => sends[i].Axis ? sends[i].Package.Length : EdocHttp.SendDocumentEnvelope(sends[i].Package).Length);
        var refused = answers.Where(a => a.Value.Status != 200).Select(a => a.Key).ToList();
        output.WriteLine($"admitted {admitted.Count} ({string.Join(", ", admitted.Select(i => sends[i].Axis ? "axis" : "soap"))}), refused {refused.Count}; "
            + $"peak {peak / 1048576.0:0.0} MiB above the resting {baseline / 1048576.0:0} MiB ({(double)peak / admittedBodies:0.00} × the admitted bodies), budget {HostileHub.BudgetBytes / 1048576} MiB");
        Assert.Contains(admitted, i => sends[i].Axis);
        Assert.Contains(admitted, i => !sends[i].Axis);
        Assert.Contains(refused, i => sends[i].Axis);
        Assert.Contains(refused, i => !sends[i].Axis);
        Assert.NotEmpty(admitted);
        Assert.NotEmpty(refused);
        Assert.All(refused, i => Assert.Equal((503, "HubBusy", TimeSpan.FromSeconds(1)), answers[i]));
        Assert.True(peak <= HostileHub.BudgetBytes, $"The hub's peak memory rose {peak / 1048576.0:0.0} MiB, over its budget.");

        foreach (var i in refused)
        {
            Assert.Equal(0, await hub.StoredAsync(sends[i].Package));
        }

        var recipient = hub.Demo.Systems.Single(s => s.Agencies.Contains(HostileHub.Recipient));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var pending = await EdocHttp.GetPendingDocumentsAsync(http, hub.SoapUri, recipient.Id, recipient.Secret, HostileHub.Recipient);
        foreach (var i in admitted)
        {
            Assert.Equal(1, await hub.StoredAsync(sends[i].Package));
            var documentId = Hub.ExchangeFlowTests.ReadDocumentId(sends[i].Package);
            var item = Assert.Single(pending, p => p.DocumentId == documentId);
            Assert.Equal(sends[i].Package, await EdocHttp.GetDocumentAsync(http, hub.SoapUri, recipient.Id, recipient.Secret, item.Id));
        }

        var metrics = await hub.MetricsAsync();
        Assert.Equal(refused.Count, MetricValue(metrics, "lgsp_memory_budget_refusals_total") - refusedBefore);
        Assert.Equal(0, MetricValue(metrics, "lgsp_memory_budget_in_use_bytes"));
        Assert.Equal(HostileHub.BudgetBytes, MetricValue(metrics, "lgsp_memory_budget_bytes"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_chunked_body_grows_its_reservation_as_it_arrives_and_is_answered_503_when_the_budget_runs_out_midway()
    {
        var hub = await HubAsync();
        var holder = hub.Signed(TestPackages.Document(HostileHub.NormalAgency, [HostileHub.Recipient], attachmentBytes: 11_000_000), hub.Normal);
        var chunked = hub.Signed(TestPackages.Document(HostileHub.NormalAgency, [HostileHub.Recipient], attachmentBytes: 11_000_000), hub.Normal);

        // The holder's declared 20 MB reserve 100 MB of the 176 MB for the 6 s its body takes; the chunked
        // send starts with 1 MB reserved and needs more than the rest about three quarters of the way in.
        var holding = SendSoapAsync(hub, holder, TimeSpan.FromSeconds(6));
        await Task.Delay(500);
        var refused = await SendSoapAsync(hub, chunked, TimeSpan.FromSeconds(2), chunkedBody: true);
        var held = await holding;

        Assert.Equal((503, "HubBusy", TimeSpan.FromSeconds(1)), refused);
        Assert.Equal(200, held.Item1);
        Assert.Equal(0, await hub.StoredAsync(chunked));

        // Alone, the same chunked body grows its reservation to the end and is stored.
        Assert.Equal(200, (await SendSoapAsync(hub, chunked, TimeSpan.FromSeconds(1), chunkedBody: true)).Item1);
        Assert.Equal(1, await hub.StoredAsync(chunked));
        Assert.Equal(0, MetricValue(await hub.MetricsAsync(), "lgsp_memory_budget_in_use_bytes"));
    }

    internal static async Task<(int, string?, TimeSpan?)> SendSoapAsync(HostileHub hub, byte[] package, TimeSpan? over = null, bool chunkedBody = false,
        TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, hub.SoapUri)
        {
            Content = new PacedContent(EdocHttp.SendDocumentEnvelope(package), over ?? TimeSpan.FromSeconds(3), chunked: chunkedBody),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.Add("SOAPAction", $"\"{EdocHttp.Namespace}/SendDocument\"");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{hub.Normal.Id}:{hub.Normal.Secret}")));
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, FaultCode(await response.Content.ReadAsStringAsync()), response.Headers.RetryAfter?.Delta);
    }

    internal static async Task<(int, string?, TimeSpan?)> SendAxisAsync(HostileHub hub, byte[] package, TimeSpan? over = null, TimeSpan? timeout = null)
    {
        using var client = new VxpClient(hub.AxisEndpoint, hub.Normal.Id, hub.Normal.Secret)
        {
            BodyContent = body => new PacedContent(body, over ?? TimeSpan.FromSeconds(4)),
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        var result = await client.SendEdocAsync(Axis.AxisHub.Send(HostileHub.NormalAgency), package);
        return (result.HttpStatus, result.Status == "OK" ? null : result.ErrorCode, result.Response?.Headers.RetryAfter?.Delta);
    }

    private Task<HostileHub> HubAsync() => fixture.StartAsync(postgres);

    /// <summary>The <c>Error/Code</c> of a SOAP fault, or null for an answer without one.</summary>
    internal static string? FaultCode(string text) =>
        text.Length == 0 ? null : XDocument.Parse(text).Descendants().FirstOrDefault(e => e.Name.LocalName == "Code" && e.Parent?.Name.LocalName == "Error")?.Value;

    /// <summary>A metric's value (without labels) in the Prometheus text.</summary>
    internal static double MetricValue(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(name.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();
}
