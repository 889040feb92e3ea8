using System.Collections.Concurrent;
using Lgsp.Server.Tests.Inbound.Hostile;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using Xunit.Abstractions;

namespace Lgsp.Server.Tests.Inbound.Accept;

/// <summary>Packages of about 50 MB through both doors of a real hub process with the default limits
/// (Hub:MaxRequestBytes 100 MiB, a 1 GiB memory budget): spooled, judged and stored in streams (ADR 0016),
/// they cost the hub a bounded amount of memory, not several times their size.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LargePackageMemoryTests(PostgresFixture postgres, LargePackageMemoryTests.DefaultLimitsHub fixture, ITestOutputHelper output)
    : IClassFixture<LargePackageMemoryTests.DefaultLimitsHub>
{
    // 37.5 MB of attachment is about 50 MB of package once base64-encoded in the envelope.
    private const int AttachmentBytes = 37_500_000;

    /// <summary>The hostile-input hub's set-up with the hub's default size and memory limits.</summary>
    public sealed class DefaultLimitsHub : HostileHub
    {
        /// <inheritdoc />
        protected override IReadOnlyDictionary<string, string?> Limits() => new Dictionary<string, string?>();
    }

    [Theory(Timeout = 300_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_50_MB_package_raises_the_hubs_peak_memory_by_less_than_3_times_its_size_and_the_recipient_pulls_identical_bytes(bool axis)
    {
        var hub = await fixture.StartAsync(postgres);
        var package = hub.Signed(TestPackages.Document(HostileHub.NormalAgency, [HostileHub.Recipient], attachmentBytes: AttachmentBytes), hub.Normal);
        Assert.InRange(package.Length, 49_000_000, 52_000_000);

        var baseline = hub.ResetPeak();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answer = axis
            ? await HostileInputTests.SendAxisAsync(hub, package, TimeSpan.FromSeconds(1))
            : await HostileInputTests.SendSoapAsync(hub, package, TimeSpan.FromSeconds(1));
        var growth = hub.PeakBytes() - baseline;
        output.WriteLine($"{(axis ? "axis" : "SOAP")}: package {package.Length / 1048576.0:0.0} MiB sent (1 s of upload) and answered in {watch.Elapsed.TotalSeconds:0.00} s, hub peak {growth / 1048576.0:0.0} MiB above the resting "
            + $"{baseline / 1048576.0:0} MiB ({(double)growth / package.Length:0.00} × the package)");

        Assert.Equal(200, answer.Item1);
        Assert.True(growth < 3L * package.Length, $"The hub's peak memory rose {growth / 1048576.0:0.0} MiB for a {package.Length / 1048576.0:0.0} MiB package.");
        var pulled = await PullAsync(hub, package);
        Assert.True(package.AsSpan().SequenceEqual(pulled), "the recipient pulls the bytes sent");
    }

    [Fact(Timeout = 900_000)]
    public async Task Eight_concurrent_50_MB_sends_through_both_doors_are_all_admitted_within_the_default_budget()
    {
        var hub = await fixture.StartAsync(postgres);
        var refusedBefore = HostileInputTests.MetricValue(await hub.MetricsAsync(), "lgsp_memory_budget_refusals_total");
        var sends = Enumerable.Range(0, 8)
            .Select(i => (Axis: i % 2 == 1, Package: hub.Signed(TestPackages.Document(HostileHub.NormalAgency, [HostileHub.Recipient], attachmentBytes: AttachmentBytes), hub.Normal)))
            .ToList();
        var baseline = hub.ResetPeak();

        // Each body takes 8 s to arrive, so all eight hold their reservations at once; on two shared cores
        // the eight accepts then take minutes, so the clients wait for them.
        var answers = new ConcurrentDictionary<int, (int Status, string? Code, TimeSpan? RetryAfter)>();
        var patience = TimeSpan.FromMinutes(10);
        await Task.WhenAll(sends.Select((send, i) => Task.Run(async () => answers[i] = send.Axis
            ? await HostileInputTests.SendAxisAsync(hub, send.Package, TimeSpan.FromSeconds(8), patience)
            : await HostileInputTests.SendSoapAsync(hub, send.Package, TimeSpan.FromSeconds(8), timeout: patience))));
        var growth = hub.PeakBytes() - baseline;
        output.WriteLine($"eight sends of {sends.Sum(s => (long)s.Package.Length) / 1048576.0:0} MiB: hub peak {growth / 1048576.0:0.0} MiB above the resting {baseline / 1048576.0:0} MiB; "
            + string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{(sends[a.Key].Axis ? "axis" : "soap")} {a.Value.Status}")));

        Assert.All(answers.Values, a => Assert.Equal(200, a.Status));
        Assert.Equal(0, HostileInputTests.MetricValue(await hub.MetricsAsync(), "lgsp_memory_budget_refusals_total") - refusedBefore);
        Assert.True(growth < 1024L * 1024 * 1024, $"The hub's peak memory rose {growth / 1048576.0:0.0} MiB, over the default 1 GiB budget.");
        foreach (var send in sends)
        {
            Assert.Equal(1, await hub.StoredAsync(send.Package));
        }
    }

    internal static async Task<byte[]> PullAsync(HostileHub hub, byte[] package)
    {
        var recipient = hub.Demo.Systems.Single(s => s.Agencies.Contains(HostileHub.Recipient));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        var documentId = Hub.ExchangeFlowTests.ReadDocumentId(package);
        var pending = await EdocHttp.GetPendingDocumentsAsync(http, hub.SoapUri, recipient.Id, recipient.Secret, HostileHub.Recipient);
        var item = Assert.Single(pending, p => p.DocumentId == documentId);
        return await EdocHttp.GetDocumentAsync(http, hub.SoapUri, recipient.Id, recipient.Secret, item.Id);
    }
}
