using System.Globalization;
using System.Security.Cryptography;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using Xunit.Abstractions;

namespace Lgsp.Server.Tests.Hub;

/// <summary>Issue 14's read side, on a real hub process: a package of about 50 MB is served by every
/// path (SOAP <c>GetDocument</c>, axis <c>getEdoc</c> and <c>downloadEdoc</c>, a push) as the exact
/// stored bytes, streamed from the database: the hub's peak resident memory grows by less than the
/// package while it serves it (the bound is three times the package).</summary>
/// <remarks>The send side still holds the package whole until the spooled accept lands, so each
/// measurement starts from a baseline taken after the send: the peak is reset (<c>clear_refs</c>) just
/// before the pull or push it measures. Figures taken on a loaded machine are printed.</remarks>
[Collection(PostgresCollection.Name)]
public sealed class LargePackageServingTests(PostgresFixture postgres, LargePackageHub large, ITestOutputHelper output) : IClassFixture<LargePackageHub>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact(Timeout = 900_000)]
    public async Task A_large_package_pulled_with_GetDocument_is_the_stored_bytes_and_the_hub_grows_by_less_than_the_package()
    {
        var hub = await large.StartAsync(postgres);
        var system = hub.System(LargePackageHub.Puller);
        var id = await hub.DeliveryToAsync(LargePackageHub.Puller);
        using var http = new HttpClient { Timeout = Patience };

        var baseline = hub.Process.ResetPeak();
        var pulled = await EdocHttp.GetDocumentAsync(http, hub.Process.SoapUri, system.Id, system.Secret, id);
        var growth = hub.Process.PeakBytes() - baseline;

        AssertServed("GetDocument", hub, pulled, baseline, growth);
    }

    [Fact(Timeout = 900_000)]
    public async Task A_large_package_pulled_with_getEdoc_is_the_stored_bytes_and_the_hub_grows_by_less_than_the_package()
    {
        var hub = await large.StartAsync(postgres);
        var id = await hub.DeliveryToAsync(LargePackageHub.Puller);
        using var axis = hub.Axis(LargePackageHub.Puller);

        var baseline = hub.Process.ResetPeak();
        var answer = await axis.GetEdocAsync($$"""{"filePath":"xml","docId":"{{id.ToString(CultureInfo.InvariantCulture)}}"}""");
        var growth = hub.Process.PeakBytes() - baseline;

        Assert.Equal("OK", answer.Status);
        AssertServed("getEdoc", hub, Convert.FromBase64String(answer.Json!["data"]!.GetValue<string>()), baseline, growth);
    }

    [Fact(Timeout = 900_000)]
    public async Task A_large_package_pulled_with_downloadEdoc_is_the_stored_bytes_and_the_hub_grows_by_less_than_the_package()
    {
        var hub = await large.StartAsync(postgres);
        var id = await hub.DeliveryToAsync(LargePackageHub.Puller);
        using var axis = hub.Axis(LargePackageHub.Puller);

        var baseline = hub.Process.ResetPeak();
        var answer = await axis.DownloadEdocAsync($$"""{"filePath":"xml","docId":"{{id.ToString(CultureInfo.InvariantCulture)}}"}""");
        var growth = hub.Process.PeakBytes() - baseline;

        AssertServed("downloadEdoc", hub, answer.File, baseline, growth);
    }

    [Fact(Timeout = 900_000)]
    public async Task A_large_package_pushed_to_an_agency_is_the_stored_bytes_with_their_length_and_the_hub_grows_by_less_than_the_package()
    {
        var hub = await large.StartAsync(postgres);
        var id = await hub.DeliveryToAsync(LargePackageHub.Pushed);
        Assert.Equal("failed", await hub.StateOfAsync(id));

        var baseline = hub.Process.ResetPeak();
        await hub.ReplayAsync(id);
        var received = await hub.Peer.WaitForAsync(pushes => pushes.Count >= 2, Patience);
        var growth = hub.Process.PeakBytes() - baseline;

        var push = received[1];
        Assert.Equal(hub.Package.Length.ToString(CultureInfo.InvariantCulture), push.Headers["Content-Length"]);
        Assert.False(push.Headers.ContainsKey("Transfer-Encoding"));
        AssertServed("push", hub, push.Body, baseline, growth);
    }

    private void AssertServed(string path, LargePackageHub hub, byte[] served, long baseline, long growth)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}: a {hub.Package.Length / 1048576.0:0.0} MiB package; hub resident {hub.AfterSendBytes / 1048576.0:0} MiB after the send, {baseline / 1048576.0:0} MiB before this, peak +{growth / 1048576.0:0.0} MiB while serving (loaded machine)"));
        Assert.Equal(hub.Package.Length, served.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(hub.Package)), Convert.ToHexStringLower(SHA256.HashData(served)));
        Assert.True(growth < hub.Package.Length, $"{path}: the hub's peak grew by {growth} bytes serving a {hub.Package.Length}-byte package.");
    }
}
