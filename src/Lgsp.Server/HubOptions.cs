using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Jobs;
using Lgsp.Server.Ledger;
using Lgsp.Server.Observability;
using Lgsp.Server.Outbound.Links;

namespace Lgsp.Server;

/// <summary>The hub's settings (configuration section <c>Hub</c>; environment variables
/// <c>Hub__Id</c> and so on). Every setting has a default that works on a fresh machine.</summary>
public sealed class HubOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Hub";

    /// <summary>The hub id written in receipts.</summary>
    public string Id { get; set; } = "lgsp-h56-demo";

    /// <summary>The address Kestrel listens on when no <c>urls</c> are configured.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Where the private PostgreSQL cluster, the demo PKI, <c>demo.json</c> and logs live.</summary>
    public string DataDirectory { get; set; } = "var";

    /// <summary>Where the private PostgreSQL cluster lives instead of <c>DataDirectory/pg</c> when the hub
    /// runs as root and the <c>postgres</c> account cannot reach the data directory (a checkout under
    /// <c>/root</c>): a folder per data directory, recorded in <c>DataDirectory/pg.location</c>. Must
    /// survive reboots.</summary>
    public string ClusterFallbackRoot { get; set; } = Lgsp.Postgres.Cluster.ClusterPlacement.DefaultFallbackRoot;

    /// <summary>The largest request body accepted (a package travels base64, a third larger).</summary>
    public long MaxRequestBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>The hub's receipt-signing certificate (PEM). Required with a configured database;
    /// the demo start generates one.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Its private key (PEM, PKCS#8).</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>Issuing CA certificates (PEM) carried in receipts' signatures, so a verifier needs only
    /// the root. The demo start uses its intermediate.</summary>
    public string? CertificateChainPath { get; set; }

    /// <summary>The key that seals the secrets the axis protocol's HMAC scheme needs (32 bytes, created
    /// on first start when missing). Relative paths are under <see cref="DataDirectory"/>; keep it out of
    /// database backups.</summary>
    public string SecretKeyPath { get; set; } = Path.Combine("keys", "secret.key");

    /// <summary>How long a trust change (<c>lgsp trust add</c>, <c>lgsp crl add</c>) takes to apply.</summary>
    public TimeSpan TrustRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long past its next update a CRL is still used (default zero); beyond it, the
    /// certificates of its issuer are refused with <c>CrlStale</c> until a fresh CRL is added.</summary>
    public TimeSpan CrlGrace { get; set; } = TimeSpan.Zero;

    /// <summary>The administrator who may open <c>/hangfire</c>.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>Push delivery settings.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>How this hub talks to its parent hub (pulling, directory sync).</summary>
    public ParentLinkOptions Parent { get; set; } = new();

    /// <summary>The national axis protocol's front door.</summary>
    public AxisOptions Axis { get; set; } = new();

    /// <summary>Who may read <c>/metrics</c>.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>Ledger sealing settings.</summary>
    public LedgerOptions Ledger { get; set; } = new();

    /// <summary>Where received packages are spooled while they are judged and stored.</summary>
    public Inbound.Accept.SpoolOptions Spool { get; set; } = new();

    /// <summary>Rate limits, the large-body concurrency limit and the failed-login throttle.</summary>
    public LimitsOptions Limits { get; set; } = new();

    /// <summary>The exchange reports: their counting settings and the rollups' refresh.</summary>
    public Reports.ReportsOptions Reports { get; set; } = new();

    /// <summary>Whose certificate signed (organisation or person): one rule for the reports' facts and the console's PDF signatures.</summary>
    public Reports.SignerRuleOptions SignerRule { get; set; } = new();
}
