namespace Lgsp.Server.Hosting;

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

    /// <summary>The administrator who may open <c>/hangfire</c>.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>Push delivery settings.</summary>
    public DeliveryOptions Delivery { get; set; } = new();
}

/// <summary>The administrator account (HTTP Basic).</summary>
public sealed class AdminOptions
{
    /// <summary>User name.</summary>
    public string User { get; set; } = "admin";

    /// <summary>Password; with none configured the dashboard is closed (the demo start generates one).</summary>
    public string? Password { get; set; }
}

/// <summary>Push delivery and background job settings.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Attempts before a delivery fails.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failure, doubled each time.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The timeout of one push.</summary>
    public TimeSpan PushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the reconciler looks for deliveries without a job (a cron expression; a sixth,
    /// leading field gives seconds).</summary>
    public string ReconcileCron { get; set; } = "* * * * *";

    /// <summary>How overdue a push delivery must be before the reconciler re-enqueues it (its lease, if
    /// any, must also have expired).</summary>
    public TimeSpan ReconcileGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one push attempt holds its delivery against other workers; it must exceed
    /// <see cref="PushTimeout"/>. Null: twice <see cref="PushTimeout"/> plus 30 seconds. After a crash,
    /// a delivery whose attempt was cut short is retried once its lease has expired.</summary>
    public TimeSpan? Lease { get; set; }

    /// <summary>Background workers per instance.</summary>
    public int Workers { get; set; } = 10;

    /// <summary>How long a lock of the job system (the reconciler's, the recurring and delayed job
    /// schedulers') may stay held before another instance removes it as abandoned. A lock left by a
    /// crashed instance holds those jobs back until then.</summary>
    public TimeSpan JobLockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often this instance polls for jobs other instances enqueued, and for due scheduled jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
