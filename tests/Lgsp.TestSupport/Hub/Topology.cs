using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Directory;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.TestSupport.Hub;

/// <summary>A hub of a <see cref="Topology"/>: its id and its parent's (null for the root).</summary>
public sealed record HubSpec(string Id, string? Parent);

/// <summary>An agency of a <see cref="Topology"/> and the hub that serves it.</summary>
public sealed record AgencySpec(string Code, string Name, string Tier, string ServedBy);

/// <summary>
/// Several hubs as real server processes (<see cref="HubProcess"/>) on loopback, arranged in a tree:
/// each with its own database on the fixture's cluster, its own secret key and its own hub certificate
/// from one test PKI whose root every hub trusts. Every hub's directory is filled through the stores:
/// its own agencies (with their signing certificates and one client system each), the agencies of its
/// subtree served by the child on the way, its parent (the axis URL, the system id and secret this hub
/// presents there, sealed with its key) and its children (each with the client system it calls in
/// with). Agencies outside a hub's subtree are not in its directory: the router sends them to the parent.
/// Short poll and retry intervals; more settings through <c>settings</c>.
/// </summary>
/// <remarks>Not thread safe: one test drives it.</remarks>
public sealed class Topology : IAsyncDisposable
{
    private const string Actor = "topology";
    private readonly Dictionary<string, TopologyHub> _hubs;
    private readonly Dictionary<string, AgencyAccount> _agencies;
    private readonly string _directory;

    private Topology(Dictionary<string, TopologyHub> hubs, Dictionary<string, AgencyAccount> agencies, string directory)
    {
        _hubs = hubs;
        _agencies = agencies;
        _directory = directory;
    }

    /// <summary>A plain HTTP client for SOAP calls.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>One hub.</summary>
    public TopologyHub this[string id] => _hubs[id];

    /// <summary>The test PKI (<c>root.pem</c>, <c>intermediate.pem</c>, each agency's and hub's certificate).</summary>
    public string PkiDirectory => Path.Combine(_directory, "pki");

    /// <summary>Every hub.</summary>
    public IReadOnlyCollection<TopologyHub> Hubs => _hubs.Values;

    /// <summary>Builds the databases and starts every hub (in parallel).</summary>
    /// <param name="postgres">The cluster.</param>
    /// <param name="hubs">The tree; parents before children.</param>
    /// <param name="agencies">The agencies and who serves them.</param>
    /// <param name="settings">Configuration for every hub, over the topology's defaults.</param>
    /// <param name="distrusting">Hubs that do not trust the test PKI (until <see cref="TrustAsync"/>).</param>
    public static async Task<Topology> StartAsync(PostgresFixture postgres, IReadOnlyList<HubSpec> hubs, IReadOnlyList<AgencySpec> agencies,
        IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyCollection<string>? distrusting = null)
    {
        var directory = Directory.CreateTempSubdirectory("lgsp-topology-").FullName;
        var pkiDirectory = Path.Combine(directory, "pki");
        using var pki = TestPki.Create("LGSP topology test");
        var certificates = agencies.ToDictionary(a => a.Code, a => pki.IssueOrganization(a.Code, a.Name));
        var hubCertificates = new Dictionary<string, X509Certificate2>();
        foreach (var hub in hubs)
        {
            hubCertificates[hub.Id] = pki.IssueOrganization("hub-" + hub.Id, "LGSP " + hub.Id);
        }

        pki.WriteTo(pkiDirectory);

        var built = new Dictionary<string, TopologyHub>();
        foreach (var spec in hubs)
        {
            var hubDirectory = Path.Combine(directory, spec.Id);
            Directory.CreateDirectory(hubDirectory);
            var keyPath = Path.Combine(hubDirectory, "secret.key");
            var connectionString = await postgres.CreateDatabaseAsync("hub_" + spec.Id.ToLowerInvariant().Replace('-', '_') + "_" + Guid.NewGuid().ToString("N")[..6]);
            var configuration = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Lgsp"] = connectionString,
                ["Hub:Id"] = spec.Id,
                ["Hub:DataDirectory"] = hubDirectory,
                ["Hub:SecretKeyPath"] = keyPath,
                ["Hub:CertificatePath"] = Path.Combine(pkiDirectory, $"org-hub-{spec.Id}.pem"),
                ["Hub:CertificateKeyPath"] = Path.Combine(pkiDirectory, $"org-hub-{spec.Id}.key.pem"),
                ["Hub:CertificateChainPath"] = Path.Combine(pkiDirectory, "intermediate.pem"),
                ["Hub:Admin:Password"] = "admin-test-password",
                ["Hub:TrustRefresh"] = "00:00:01",
                ["Hub:Parent:PollInterval"] = "00:00:00.500",
                ["Hub:Delivery:PollInterval"] = "00:00:00.500",
                ["Hub:Delivery:FirstDelay"] = "00:00:01",
                ["Hub:Delivery:MaxDelay"] = "00:00:02",
                ["Hub:Delivery:PushTimeout"] = "00:00:05",
                // The lease must outlast the longest call it guards (the hub refuses to start otherwise):
                // a forward's 8 s here, so that a forward cut short by a kill is retried within seconds.
                ["Hub:Delivery:Lease"] = "00:00:10",
                ["Hub:Parent:RequestTimeout"] = "00:00:08",
                ["Hub:Delivery:ReconcileCron"] = "*/2 * * * * *",
                ["Hub:Delivery:ReconcileGrace"] = "00:00:02",
                ["Hub:Delivery:JobLockTimeout"] = "00:00:05",
                ["Hub:Delivery:Workers"] = "2",
                ["Serilog:MinimumLevel:Default"] = "Information",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[key] = value;
            }

            built[spec.Id] = new TopologyHub(spec.Id, spec.Parent, connectionString, hubDirectory, configuration, HubProcess.FreePort(), SecretBox.LoadOrCreate(keyPath));
        }

        var accounts = new Dictionary<string, AgencyAccount>();
        foreach (var spec in hubs)
        {
            await SeedAsync(built[spec.Id], built, agencies, certificates, hubCertificates, pki, accounts, trusting: distrusting?.Contains(spec.Id) != true);
        }

        var topology = new Topology(built, accounts, directory);
        try
        {
            await Task.WhenAll(built.Values.Select(topology.StartOnAFreePortAsync));
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }

        return topology;
    }

    // Each hub's port is probed free long before its process binds it (the children's records need its
    // URL first); another process may take it meanwhile. Seen as a topology test failing within seconds
    // in a full suite run, where other tests open ports and connections in parallel: the hub moves to
    // a fresh port, and its children's records of it follow.
    private async Task StartOnAFreePortAsync(TopologyHub hub)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await hub.StartAsync();
                return;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                hub.Port = HubProcess.FreePort();
                foreach (var child in _hubs.Values.Where(h => h.Parent == hub.Id))
                {
                    await child.QueryAsync("UPDATE lgsp.hub SET base_url = $1 WHERE id = $2 RETURNING id", hub.AxisUri.ToString(), hub.Id);
                }
            }
        }
    }

    private static async Task SeedAsync(TopologyHub hub, Dictionary<string, TopologyHub> hubs, IReadOnlyList<AgencySpec> agencies,
        Dictionary<string, X509Certificate2> certificates, Dictionary<string, X509Certificate2> hubCertificates, TestPki pki,
        Dictionary<string, AgencyAccount> accounts, bool trusting)
    {
        await using var data = NpgsqlDataSource.Create(hub.ConnectionString);
        var store = new PostgresDirectoryStore(data, TimeProvider.System);
        if (trusting)
        {
            await AddTrustAsync(store, pki.Root, pki.Intermediate);
        }

        if (hub.Parent is { } parentId)
        {
            var parent = hubs[parentId];
            var secret = hub.SecretAtParent ?? throw new ArgumentException($"List hub {parentId} before its child {hub.Id}.", nameof(hubs));
            await store.SaveHubAsync(new HubLink(parentId, HubRole.Parent, parent.AxisUri, InboundSystem(hub.Id), hub.Secrets.Seal(secret), null, true)
            {
                SigningCertificate = hubCertificates[parentId],
            }, Actor);
        }

        foreach (var child in hubs.Values.Where(h => h.Parent == hub.Id))
        {
            // The child presents this system when it polls us and forwards to us; the child's parent record
            // (seeded after, children come later) holds the same secret.
            child.SecretAtParent = NewSecret();
            await store.SaveClientSystemAsync(InboundSystem(child.Id), Lgsp.Exchange.Directory.SecretHash.Hash(child.SecretAtParent),
                hub.Secrets.Seal(child.SecretAtParent), PackagePolicy.Strict, [], Actor);
            await store.SaveHubAsync(new HubLink(child.Id, HubRole.Child, null, null, null, InboundSystem(child.Id), true)
            {
                SigningCertificate = hubCertificates[child.Id],
            }, Actor);
        }

        foreach (var agency in agencies)
        {
            var servedBy = NextHubTowards(hub.Id, agency.ServedBy, hubs);
            if (agency.ServedBy != hub.Id && servedBy is null)
            {
                continue; // beyond the parent: the router sends it up
            }

            await store.SaveAgencyAsync(new Agency(agency.Code, agency.Name, null, agency.Tier, true, null, null, default) { ServedBy = servedBy }, Actor);
            if (agency.ServedBy == hub.Id)
            {
                var certificate = certificates[agency.Code];
                await store.AddAgencyCertificateAsync(agency.Code, certificate, Actor);
                var system = "qlvb-" + agency.Code;
                var secret = NewSecret();
                await store.SaveClientSystemAsync(system, Lgsp.Exchange.Directory.SecretHash.Hash(secret), hub.Secrets.Seal(secret), PackagePolicy.Strict, [agency.Code], Actor);
                accounts[agency.Code] = new AgencyAccount(agency.Code, hub.Id, system, secret, certificate.ExportCertificatePem(), ExportKey(certificate));
            }
        }
    }

    private static async Task AddTrustAsync(PostgresDirectoryStore store, X509Certificate2 root, X509Certificate2 intermediate)
    {
        await store.AddTrustCertificateAsync(root, root: true, Actor);
        await store.AddTrustCertificateAsync(intermediate, root: false, Actor);
    }

    /// <summary>The secret a child hub presents to its parent as its inbound system there
    /// (<see cref="InboundSystem"/>).</summary>
    public string InboundSecret(string childHub) => _hubs[childHub].SecretAtParent ?? throw new ArgumentException($"{childHub} has no parent", nameof(childHub));

    /// <summary>A SOAP client at <paramref name="childHub"/>'s parent that calls as the child's inbound
    /// system there: what a hub caller sees of its own traffic.</summary>
    public AgencyClient HubCaller(string childHub)
    {
        var child = _hubs[childHub];
        var parent = child.Parent ?? throw new ArgumentException($"{childHub} has no parent", nameof(childHub));
        return new AgencyClient(Http, _hubs[parent], new AgencyAccount("", parent, InboundSystem(childHub), InboundSecret(childHub), "", ""));
    }

    /// <summary>Makes a hub trust the test PKI (as <c>lgsp trust add</c> would; it applies within
    /// <c>Hub:TrustRefresh</c>, one second here).</summary>
    public async Task TrustAsync(string hubId)
    {
        await using var data = NpgsqlDataSource.Create(_hubs[hubId].ConnectionString);
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(PkiDirectory, "root.pem")));
        using var intermediate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(PkiDirectory, "intermediate.pem")));
        await AddTrustAsync(new PostgresDirectoryStore(data, TimeProvider.System), root, intermediate);
    }

    /// <summary>The client system a child hub uses at its parent.</summary>
    public static string InboundSystem(string childHub) => "hub-" + childHub;

    // The child of `from` on the way down to `target`, or null when `target` is not below `from`.
    private static string? NextHubTowards(string from, string target, Dictionary<string, TopologyHub> hubs)
    {
        for (var current = target; hubs[current].Parent is { } parent; current = parent)
        {
            if (parent == from)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>The account of an agency (its system at its serving hub, its signing material).</summary>
    public AgencyAccount Agency(string code) => _agencies[code];

    /// <summary>A document from <paramref name="from"/> signed with its certificate.</summary>
    public byte[] SignedDocument(string from, IEnumerable<string> to, string? documentId = null) =>
        TestPackages.Sign(TestPackages.Document(from, to, documentId), Agency(from).CertPem, Agency(from).KeyPem);

    /// <summary>A status from <paramref name="from"/> about <paramref name="documentId"/> (sent by
    /// <paramref name="to"/>), signed with <paramref name="from"/>'s certificate.</summary>
    public byte[] SignedStatus(string from, string to, string documentId, StatusCode code) =>
        TestPackages.Sign(TestPackages.Status(from, to, documentId, code), Agency(from).CertPem, Agency(from).KeyPem);

    /// <summary>A SOAP client acting as the agency's system at its serving hub.</summary>
    public AgencyClient Client(string code) => new(Http, _hubs[Agency(code).Hub], Agency(code));

    /// <summary>Waits until <paramref name="probe"/> returns a value, polling every 200 ms.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>; the message carries the
    /// hubs' recent output.</exception>
    public async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                var output = string.Join(Environment.NewLine, _hubs.Values.Select(h => $"--- {h.Id}{Environment.NewLine}{Tail(h.Process?.Output)}"));
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s.{Environment.NewLine}{output}");
            }

            await Task.Delay(200);
        }
    }

    private static string Tail(string? output) =>
        output is null ? "(not running)" : string.Join(Environment.NewLine, output.Split(Environment.NewLine).TakeLast(40));

    /// <summary>Stops every hub and removes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var hub in _hubs.Values)
        {
            await hub.DisposeAsync();
        }

        Http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be open for a moment; the temp folder is cleaned up by the system.
        }
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    private static string ExportKey(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() is { } rsa ? rsa.ExportPkcs8PrivateKeyPem()
        : certificate.GetECDsaPrivateKey()?.ExportPkcs8PrivateKeyPem() ?? throw new InvalidOperationException("The certificate has no private key.");
}

/// <summary>An agency's account: the hub serving it, its client system there, its signing material.</summary>
public sealed record AgencyAccount(string Code, string Hub, string System, string Secret, string CertPem, string KeyPem);
