using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.Server.Tests.Inbound.Axis.Sdk;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Peers;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Server.Tests.Hub;

/// <summary>One real hub process holding one large signed document (about 50 MB) from
/// <see cref="Sender"/> to <see cref="Puller"/> (pull) and <see cref="Pushed"/> (push to a fake peer,
/// whose first attempt the peer refuses for good, so that the test replays it when it measures). Started
/// by the first test that asks (<see cref="StartAsync"/>), stopped with the test class.</summary>
public sealed class LargePackageHub() : HubProcessFixture<LargePackageHub>("lgsp-large-")
{
    /// <summary>The attachment's size: the package is its base64 and a few kilobytes, about 50 MB.</summary>
    public const int AttachmentBytes = 37_000_000;

    public const string Sender = "000.00.01.H56";
    public const string Puller = "000.00.02.H56";
    public const string Pushed = "000.00.03.H56";
    private const string AdminPassword = "admin-test-password";

    public FakePushPeer Peer { get; private set; } = null!;

    public DemoSetup Demo { get; private set; } = null!;

    /// <summary>The package as sent and stored.</summary>
    public byte[] Package { get; private set; } = [];

    /// <summary>The hub's resident memory right after the send, before anything was served.</summary>
    public long AfterSendBytes { get; private set; }

    public DemoSystem System(string agency) => Demo.Systems.Single(s => s.Agencies.Contains(agency));

    /// <summary>Starts the hub and sends the package (the first test that asks: <see cref="HubProcessFixture{TSelf}.StartAsync"/>).</summary>
    protected override async Task StartCoreAsync()
    {
        Peer = await FakePushPeer.StartAsync();
        Peer.AnswerNext(400);
        await using (var data = NpgsqlDataSource.Create(ConnectionString))
        {
            Demo = await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), Path.Combine(DataDirectory, "pki"), "http://127.0.0.1",
                Exchange.Directory.SecretBox.LoadOrCreate(Path.Combine(DataDirectory, "keys", "secret.key")));
        }

        await ScalarAsync($"UPDATE lgsp.agency SET push_endpoint = '{Peer.Endpoint}' WHERE code = '{Pushed}'");
        Process = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lgsp"] = ConnectionString,
            ["Hub:DataDirectory"] = DataDirectory,
            ["Hub:CertificatePath"] = Path.Combine(DataDirectory, "pki", DemoProvince.HubCertificate + ".pem"),
            ["Hub:CertificateKeyPath"] = Path.Combine(DataDirectory, "pki", DemoProvince.HubCertificate + ".key.pem"),
            ["Hub:Admin:Password"] = AdminPassword,
            ["Hub:Delivery:PollInterval"] = "00:00:00.500",
            ["Hub:Delivery:PushTimeout"] = "00:02:00",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }, DataDirectory);

        var sender = System(Sender);
        Package = TestPackages.Sign(TestPackages.Document(Sender, [Puller, Pushed], attachmentBytes: AttachmentBytes), sender.CertPem, sender.KeyPem);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var answer = await EdocHttp.SendDocumentAsync(http, Process.SoapUri, sender.Id, sender.Secret, EdocHttp.SendDocumentEnvelope(Package));
        Assert.False(answer.Duplicate);

        // The first push attempt (refused by the peer) is over before anything is measured.
        await Peer.WaitForAsync(received => received.Count >= 1, TimeSpan.FromMinutes(3));
        var pushed = await DeliveryToAsync(Pushed);
        for (var tries = 0; await StateOfAsync(pushed) != "failed" && tries < 600; tries++)
        {
            await Task.Delay(100);
        }

        AfterSendBytes = Process.ResidentBytes();
    }

    protected override async Task StopAsync()
    {
        await base.StopAsync();
        if (Peer is not null)
        {
            await Peer.DisposeAsync();
            Peer = null!;
        }
    }

    /// <summary>An axis client of the agency's system.</summary>
    public VxpClient Axis(string agency) => new(AxisEndpoint, System(agency).Id, System(agency).Secret);

    /// <summary>The delivery of the package to <paramref name="recipient"/>.</summary>
    public async Task<long> DeliveryToAsync(string recipient) =>
        (long)(await ScalarAsync($"SELECT id FROM lgsp.delivery WHERE recipient = '{recipient}'"))!;

    /// <summary>The state of delivery <paramref name="id"/>.</summary>
    public async Task<string> StateOfAsync(long id) => (string)(await ScalarAsync($"SELECT state FROM lgsp.delivery WHERE id = {id.ToString(CultureInfo.InvariantCulture)}"))!;

    /// <summary>An administrator's replay of delivery <paramref name="id"/>.</summary>
    public async Task ReplayAsync(long id)
    {
        using var http = new HttpClient { BaseAddress = Process.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/api/deliveries/{id}/replay")
        {
            Content = new StringContent("""{"reason":"measuring a large push"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"The replay answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
