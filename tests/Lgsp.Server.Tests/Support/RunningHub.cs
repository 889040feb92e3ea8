using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.Server.Hosting;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.TestSupport.Postgres;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace Lgsp.Server.Tests.Support;

/// <summary>A real hub on Kestrel (127.0.0.1, a free port) over a fresh migrated database of the test
/// cluster, with the demo province seeded: the same host the run command starts, minus the private cluster.</summary>
public sealed class RunningHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private RunningHub(WebApplication app, string directory, string connectionString, DemoSetup demo, Uri baseUri)
    {
        _app = app;
        _directory = directory;
        ConnectionString = connectionString;
        Demo = demo;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri };
    }

    /// <summary>The database.</summary>
    public string ConnectionString { get; }

    /// <summary>The demo systems, PKI and credentials.</summary>
    public DemoSetup Demo { get; }

    /// <summary>Where it listens.</summary>
    public Uri BaseUri { get; }

    /// <summary>The axis protocol's base URL (default base path).</summary>
    public Uri AxisUri => new(BaseUri, "/vxp");

    /// <summary>The SOAP endpoint.</summary>
    public Uri SoapUri => new(BaseUri, EdocEndpoint.Path);

    /// <summary>A plain client for raw requests.</summary>
    public HttpClient Http { get; }

    /// <summary>The hub's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The hub's data directory (logs under logs/).</summary>
    public string DataDirectory => _directory;

    /// <summary>The PKI directory (root.pem, intermediate.pem, org-*.pem).</summary>
    public string PkiDirectory => Path.Combine(_directory, "pki");

    /// <summary>Starts a hub; <paramref name="settings"/> override configuration.</summary>
    public static async Task<RunningHub> StartAsync(PostgresFixture postgres, IDictionary<string, string?>? settings = null)
    {
        var (template, demo, pki) = await SeededTemplateAsync(postgres);
        var connectionString = await postgres.CreateDatabaseFromAsync(template);
        var directory = Directory.CreateTempSubdirectory("lgsp-hub-").FullName;
        CopyDirectory(pki, Path.Combine(directory, "pki"));

        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings:Lgsp"] = connectionString,
            ["Hub:DataDirectory"] = directory,
            ["Hub:CertificatePath"] = Path.Combine(directory, "pki", DemoProvince.HubCertificate + ".pem"),
            ["Hub:CertificateKeyPath"] = Path.Combine(directory, "pki", DemoProvince.HubCertificate + ".key.pem"),
            ["Hub:Admin:Password"] = "admin-test-password",
            ["Hub:SecretKeyPath"] = Path.Combine(directory, "pki", SecretKeyFile),
            ["Hub:Delivery:PollInterval"] = "00:00:00.500",
            ["Hub:Delivery:Workers"] = "2",
            ["Hub:Delivery:FirstDelay"] = "00:00:01",
            ["Hub:Delivery:PushTimeout"] = "00:00:05",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = await HubHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(configuration));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHub(app, directory, connectionString, demo, new Uri(address));
    }

    /// <summary>The hub's secret key, made with the template's PKI: the template's demo secrets are sealed with it.</summary>
    private const string SecretKeyFile = "secret.key";

    private static readonly SemaphoreSlim s_seedGate = new(1, 1);
    private static (PostgresFixture Fixture, string Template, DemoSetup Demo, string Pki)? s_seeded;

    /// <summary>The demo province seeded once per test cluster (its PKI's RSA keys take seconds to
    /// make), kept as a template database that every hub copies.</summary>
    private static async Task<(string Template, DemoSetup Demo, string Pki)> SeededTemplateAsync(PostgresFixture postgres)
    {
        await s_seedGate.WaitAsync();
        try
        {
            if (s_seeded is { } seeded && ReferenceEquals(seeded.Fixture, postgres))
            {
                return (seeded.Template, seeded.Demo, seeded.Pki);
            }

            var template = "template_demo_" + Guid.NewGuid().ToString("N")[..8];
            var connectionString = await postgres.CreateDatabaseAsync(template);
            var pki = Directory.CreateTempSubdirectory("lgsp-demo-pki-").FullName;
            DemoSetup demo;
            await using (var data = NpgsqlDataSource.Create(connectionString))
            {
                demo = await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), pki, "http://127.0.0.1",
                    Exchange.Directory.SecretBox.LoadOrCreate(Path.Combine(pki, SecretKeyFile)));
            }

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }

            s_seeded = (postgres, template, demo, pki);
            return (template, demo, pki);
        }
        finally
        {
            s_seedGate.Release();
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    /// <summary>The demo system acting for <paramref name="agency"/>.</summary>
    public DemoSystem System(string agency) => Demo.Systems.Single(s => s.Agencies.Contains(agency));

    /// <summary>A WCF client logged in as the system acting for <paramref name="agency"/>.</summary>
    public EdocClient Client(string agency, SoapVersion version = SoapVersion.Soap11)
    {
        var system = System(agency);
        return EdocClientFactory.Create(SoapUri, system.Id, system.Secret, version);
    }

    /// <summary>A signed document from <paramref name="from"/>, signed with its demo certificate.</summary>
    public byte[] SignedDocument(string from, IEnumerable<string> to, string? documentId = null, int attachmentBytes = 2_000) =>
        TestSupport.Packages.TestPackages.Sign(TestSupport.Packages.TestPackages.Document(from, to, documentId, attachmentBytes: attachmentBytes), System(from).CertPem, System(from).KeyPem);

    /// <summary>Sends a signed document from <paramref name="from"/> through SOAP; returns its DocumentId.</summary>
    public async Task<string> SendDocumentAsync(string from, params string[] to)
    {
        await using var sender = Client(from);
        return (await sender.SendDocumentAsync(new SendDocumentRequest { Package = SignedDocument(from, to) })).DocumentId;
    }

    /// <summary>Posts a raw SOAP 1.1 request; returns the status and the parsed answer.</summary>
    public async Task<(int Status, XDocument Body, HttpResponseMessage Response)> PostAsync(string operation, string innerXml, string? user = null, string? secret = null,
        SoapVersion version = SoapVersion.Soap11)
    {
        var envelope = SoapSamples.Envelope(version, $"<{operation} xmlns=\"{EdocContract.Namespace}\">{innerXml}</{operation}>");
        using var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(SoapSamples.ContentType(version, EdocContract.ActionOf(operation)));
        using var request = new HttpRequestMessage(HttpMethod.Post, SoapUri) { Content = content };
        if (version == SoapVersion.Soap11)
        {
            request.Headers.Add("SOAPAction", $"\"{EdocContract.ActionOf(operation)}\"");
        }

        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? new XDocument() : XDocument.Parse(text), response);
    }

    /// <summary>A GET with HTTP Basic credentials.</summary>
    public Task<HttpResponseMessage> GetAsAsync(string path, string user, string password) => SendAsAsync(HttpMethod.Get, path, null, user, password);

    /// <summary>A request with HTTP Basic credentials and, when <paramref name="body"/> is given, a JSON body.</summary>
    public async Task<HttpResponseMessage> SendAsAsync(HttpMethod method, string path, object? body, string user, string password)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : global::System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await Http.SendAsync(request);
    }

    /// <summary>Waits until the delivery of <paramref name="documentId"/> to <paramref name="recipient"/>
    /// reaches <paramref name="state"/>, as the sender sees it through GetDeliveries.</summary>
    public static async Task<Inbound.Soap.Delivery> WaitForDeliveryAsync(EdocClient client, string documentId, string recipient, string state, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            var delivery = (await client.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = documentId })).Deliveries.Single(d => d.Recipient == recipient);
            if (delivery.State == state)
            {
                return delivery;
            }

            Assert.True(DateTime.UtcNow < until, $"The delivery is still {delivery.State} ({delivery.LastError}), not {state}.");
            await Task.Delay(200);
        }
    }

    /// <summary>A scalar from the hub's database.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var data = NpgsqlDataSource.Create(ConnectionString);
        await using var command = data.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Stops the hub and removes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();

        // Hangfire's connections sit in Npgsql's global pool; release them so the shared test cluster
        // does not run out of connections over many hubs.
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be open for a moment; the temp folder is cleaned up by the system.
        }
    }
}
