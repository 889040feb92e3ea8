using System.Diagnostics;
using System.Globalization;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.Server.Tests.Inbound.Axis.Sdk;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Server.Tests.Inbound.Hostile;

/// <summary>One real hub process for the hostile-input tests: small request limit, small memory budget,
/// short data-rate grace; a hostile sender and a normal client acting for different agencies, so that
/// what the hostile one leaves in the store can be counted apart. Started by the first test that asks
/// (<see cref="StartAsync"/>: the test cluster is a collection fixture), stopped with the test class.</summary>
public class HostileHub() : HubProcessFixture<HostileHub>("lgsp-hostile-")
{
    /// <summary><c>Hub:MaxRequestBytes</c>: room for a 30 MB attribute.</summary>
    public const long MaxRequestBytes = 34L * 1024 * 1024;

    /// <summary><c>Hub:Limits:MemoryBudget:CostFactor</c>, the default.</summary>
    public const double CostFactor = 5;

    /// <summary><c>Hub:Limits:MemoryBudget:Bytes</c>: the largest request, and a little more.</summary>
    public const long BudgetBytes = 176L * 1024 * 1024;

    /// <summary>The agency the hostile sender acts for, and the one the normal client sends from and to.</summary>
    public const string HostileAgency = "000.00.01.H56";
    public const string NormalAgency = "000.00.02.H56";
    public const string Recipient = "000.00.03.H56";

    public DemoSetup Demo { get; private set; } = null!;

    /// <summary>The hub's peak resident memory once started and warmed (one normal send).</summary>
    public long BaselinePeakBytes { get; private set; }

    public DemoSystem Hostile => Demo.Systems.Single(s => s.Agencies.Contains(HostileAgency));

    public DemoSystem Normal => Demo.Systems.Single(s => s.Agencies.Contains(NormalAgency));

    /// <summary>The size and memory limits the hub starts with: these tests' small ones.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Limits() => new Dictionary<string, string?>
    {
        ["Hub:MaxRequestBytes"] = MaxRequestBytes.ToString(CultureInfo.InvariantCulture),
        ["Hub:Limits:MemoryBudget:Bytes"] = BudgetBytes.ToString(CultureInfo.InvariantCulture),
        ["Hub:Limits:MemoryBudget:Wait"] = "00:00:01",

        // Every body byte reserved at the factor, nothing per request: the arithmetic these tests' waves
        // are built on (the defaults' flat part is proven by LargePackageMemoryTests).
        ["Hub:Limits:MemoryBudget:ProportionalBytes"] = MaxRequestBytes.ToString(CultureInfo.InvariantCulture),
        ["Hub:Limits:MemoryBudget:RequestBytes"] = "0",
    };

    /// <summary>Starts the hub and warms it with one normal send.</summary>
    protected override async Task StartCoreAsync()
    {
        await using (var data = NpgsqlDataSource.Create(ConnectionString))
        {
            Demo = await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), Path.Combine(DataDirectory, "pki"), "http://127.0.0.1",
                Exchange.Directory.SecretBox.LoadOrCreate(Path.Combine(DataDirectory, "keys", "secret.key")));
        }

        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lgsp"] = ConnectionString,
            ["Hub:DataDirectory"] = DataDirectory,
            ["Hub:CertificatePath"] = Path.Combine(DataDirectory, "pki", DemoProvince.HubCertificate + ".pem"),
            ["Hub:CertificateKeyPath"] = Path.Combine(DataDirectory, "pki", DemoProvince.HubCertificate + ".key.pem"),
            ["Hub:Limits:Connections:MinDataRateGrace"] = "00:00:02",
            ["Hub:Limits:Connections:MaxConnections"] = "15000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in Limits())
        {
            settings[key] = value;
        }

        Process = await HubProcess.StartAsync(settings, DataDirectory);

        await SendNormalAsync();
        BaselinePeakBytes = PeakBytes();
    }

    /// <summary>The hub process's peak resident memory so far (<see cref="HubProcess.PeakBytes"/>).</summary>
    public long PeakBytes() => Process.PeakBytes();

    /// <summary>Resets the hub process's peak to what it holds now (<see cref="HubProcess.ResetPeak"/>).</summary>
    public long ResetPeak() => Process.ResetPeak();

    /// <summary>Packages stored with these bytes.</summary>
    public async Task<long> StoredAsync(byte[] package) =>
        (long)(await ScalarAsync($"SELECT count(*) FROM lgsp.package WHERE sha256 = decode('{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(package))}', 'hex')"))!;

    /// <summary>The hub process's resident memory now (<see cref="HubProcess.ResidentBytes"/>).</summary>
    public long ResidentBytes() => Process.ResidentBytes();

    /// <summary>A signed document from the hostile agency (or <paramref name="from"/>) to the recipient.</summary>
    public byte[] Signed(byte[] package, DemoSystem? system = null) =>
        TestPackages.Sign(package, (system ?? Hostile).CertPem, (system ?? Hostile).KeyPem);

    /// <summary>A normal client's SendDocument (a small signed document to <see cref="Recipient"/>); how long it took.</summary>
    public async Task<TimeSpan> SendNormalAsync(CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var package = Signed(TestPackages.Document(NormalAgency, [Recipient]), Normal);
        var answer = await EdocHttp.SendDocumentAsync(http, SoapUri, Normal.Id, Normal.Secret, EdocHttp.SendDocumentEnvelope(package), ct);
        Assert.False(answer.Duplicate);
        return watch.Elapsed;
    }

    /// <summary>An axis client of the hostile sender.</summary>
    public VxpClient HostileAxis() => new(AxisEndpoint, Hostile.Id, Hostile.Secret);

    /// <summary>The ledger's last sequence number.</summary>
    public async Task<long> LedgerHeadAsync() => (long)(await ScalarAsync("SELECT coalesce(max(seq), 0) FROM lgsp.ledger"))!;

    /// <summary>The kinds of ledger entries written since <paramref name="after"/> by <paramref name="actor"/>, with the
    /// code of each refusal: <c>package.refused:Code</c>.</summary>
    public async Task<IReadOnlyList<string>> LedgerSinceAsync(long after, string actor)
    {
        var kinds = new List<string>();
        await using var data = NpgsqlDataSource.Create(ConnectionString);
        await using var command = data.CreateCommand("SELECT kind, detail->>'code' FROM lgsp.ledger WHERE seq > $1 AND actor = $2 ORDER BY seq");
        command.Parameters.AddWithValue(after);
        command.Parameters.AddWithValue(actor);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            kinds.Add(reader.IsDBNull(1) ? reader.GetString(0) : reader.GetString(0) + ":" + reader.GetString(1));
        }

        return kinds;
    }

    /// <summary>Packages stored from the hostile agency.</summary>
    public async Task<long> HostilePackagesAsync() =>
        (long)(await ScalarAsync($"SELECT count(*) FROM lgsp.package WHERE from_agency = '{HostileAgency}'"))!;

    /// <summary>The hub's metrics text.</summary>
    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient { BaseAddress = Process.BaseUri };
        return await http.GetStringAsync("/metrics");
    }
}
