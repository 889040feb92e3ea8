using Hangfire;
using Hangfire.PostgreSql;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Hosting;
using Lgsp.Server.Demo;
using Lgsp.Server.Inbound.Accept;
using Lgsp.Server.Inbound.Admin;
using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Jobs;
using Lgsp.Server.Ledger;
using Lgsp.Server.Observability;
using Lgsp.Server.Outbound.Links;
using Lgsp.Server.Outbound.Push;
using Lgsp.Web.Auth.KeyRing;
using Lgsp.Web.Hosting;
using Lgsp.Server.Reports;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;
using Serilog;
using Serilog.Formatting.Compact;
using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Server.Hosting;

/// <summary>Builds the hub: configuration, database, demo province, services, jobs and endpoints.
/// <c>Program.cs</c> and the tests both start the hub through here.</summary>
public static class HubHost
{
    /// <summary>The configuration files are read once, at start. Watching <c>appsettings.json</c> for
    /// changes watches the whole content root with its subdirectories (the working directory, where the
    /// data directory keeps the logs, the spools and the private cluster), so every log line and every
    /// write of PostgreSQL woke a watcher thread; no setting of the hub is reloaded anyway (bench/README.md,
    /// "Hub CPU outside the GC"). First, so that an operator's own argument still wins.</summary>
    internal const string ReadConfigurationOnce = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>Builds a hub ready to run.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--urls</c>).</param>
    /// <param name="configure">Extra configuration for tests.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateBuilder([ReadConfigurationOnce, .. args]);
        configure?.Invoke(builder);
        var demoShape = DemoStart.Shape(builder.Configuration);
        if (demoShape == DemoShape.Child && string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Lgsp")))
        {
            DemoStart.ApplyChildDefaults(builder.Configuration);
        }

        HubOptions options;
        try
        {
            options = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
        }
        catch (InvalidOperationException ex) when (builder.Configuration["Hub:Axis:Registration"] is { } mode && !Enum.TryParse<AgencyRegistrationMode>(mode, true, out _))
        {
            throw RegistrationModeInvalid(mode, ex);
        }

        if (!Enum.IsDefined(options.Axis.Registration))
        {
            // A number binds to the enum without complaint; the setting has two words only.
            throw RegistrationModeInvalid(builder.Configuration["Hub:Axis:Registration"], null);
        }

        if (options.CrlGrace < TimeSpan.Zero)
        {
            // Caught at start: the trust cache would otherwise fail every rebuild, refusing every package.
            throw new InvalidOperationException($"Hub:CrlGrace is {options.CrlGrace}; it must be zero or positive (how long a CRL is still used after its next update).");
        }

        // A limit of nothing would refuse every caller; caught before anything starts.
        options.Limits.Validate(options.MaxRequestBytes);
        // A lease shorter than the call it guards lets a second worker send the same delivery again.
        options.Delivery.Validate(options.Parent.RequestTimeout);
        var jwt = builder.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        jwt.Validate();

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);

        builder.Services.AddSerilog((_, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", Serilog.Events.LogEventLevel.Warning)
            // HttpClient logs four lines per request at Information; the parent links poll every few seconds.
            .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Hub", options.Id)
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(dataDirectory, "logs", "lgsp-.json"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 30));

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(options.Url);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            options.Limits.Connections.ApplyTo(k.Limits);

            // One char per header byte: the axis protocol's MAC is checked over the bytes as received.
            k.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
        });

        var secrets = SecretBox.LoadOrCreate(Path.Combine(dataDirectory, options.SecretKeyPath));
        builder.Services.AddSingleton(secrets);
        var location = HubDatabaseLocation.Choose(builder.Configuration.GetConnectionString("Lgsp"), "ConnectionStrings:Lgsp", dataDirectory, "Hub:DataDirectory")
            with { FallbackRoot = options.ClusterFallbackRoot };
        var database = await HubDatabase.OpenAsync(location, PrivateClusterUse.Own, line => Console.WriteLine($"[database] {line}"), ct);
        var demo = database.OnPrivateCluster ? await DemoStart.PrepareAsync(database.Directory, database.Users, dataDirectory, options, secrets, demoShape, ct) : null;
        if (demo is not null)
        {
            options.Admin.Password ??= demo.Admin[(demo.Admin.IndexOf(':', StringComparison.Ordinal) + 1)..];
            builder.Services.Configure<HubOptions>(o => o.Admin.Password ??= options.Admin.Password);
        }

        builder.Services.AddSingleton(database);
        if (database.Cluster is { Reused: false } cluster)
        {
            // Started by this hub: kept running by it (a cluster found running belongs to whoever started it).
            builder.Services.AddSingleton(cluster);
            builder.Services.AddHostedService<ClusterSupervisor>();
        }

        builder.Services.Configure<HubOptions>(builder.Configuration.GetSection(HubOptions.Section));
        builder.Services.AddSingleton(new HubIdentity(options.Id, LoadHubCertificate(options, dataDirectory, demo is not null),
            LoadHubChain(options, dataDirectory, demo is not null)));
        builder.Services.AddHub(database.ConnectionString, options);
        builder.Services.AddGatewayTokens(jwt);
        builder.Services.AddLgspConsole(builder.Configuration);
        // One key ring for every instance on the database, sealed with the secret key (docs/security.md).
        builder.Services.AddConsoleKeyRing(sp => new KeyRingRepository(sp.GetRequiredService<IKeyRingStore>()));

        var app = builder.Build();
        app.UseHub(demo);
        return app;
    }

    private static InvalidOperationException RegistrationModeInvalid(string? mode, Exception? inner) =>
        new($"Hub:Axis:Registration is '{mode}'; it must be approve (a client system's registerAgency waits for an operator) or refuse.", inner);

    /// <summary>Runs the hub until shutdown, then disposes it and closes its database (stopping its private cluster), in that order.</summary>
    public static async Task RunHubAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<HubDatabase>();
        try
        {
            await app.RunAsync();
        }
        finally
        {
            await app.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static IReadOnlyList<X509Certificate2> LoadHubChain(HubOptions options, string dataDirectory, bool demo)
    {
        var path = options.CertificateChainPath ?? (demo && options.CertificatePath is null ? Path.Combine(dataDirectory, "pki", "intermediate.pem") : null);
        return path is null ? [] : Lgsp.Edxml.Trust.TrustMaterial.LoadCertificates(path);
    }

    private static X509Certificate2 LoadHubCertificate(HubOptions options, string dataDirectory, bool demo)
    {
        if (options.CertificatePath is { } cert)
        {
            return X509Certificate2.CreateFromPemFile(cert, options.CertificateKeyPath);
        }

        return demo
            ? DemoProvince.LoadHubCertificate(Path.Combine(dataDirectory, "pki"))
            : throw new InvalidOperationException(
                "Hub:CertificatePath and Hub:CertificateKeyPath must name the hub's receipt-signing certificate and key (PEM) when a database is configured.");
    }

    /// <summary>Registers the hub's services.</summary>
    public static IServiceCollection AddHub(this IServiceCollection services, string connectionString, HubOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddLgspPostgres(connectionString, new LgspPostgresOptions { SealBatchSize = options.Ledger.BatchSize, SealInFlightWait = options.Ledger.InFlightWait });
        services.AddSingleton(sp => new TrustCache(sp.GetRequiredService<IDirectoryStore>(), sp.GetRequiredService<TimeProvider>(), options.TrustRefresh, options.CrlGrace));
        services.AddSingleton(sp => new TrustStatus(sp.GetRequiredService<IDirectoryStore>(), sp.GetRequiredService<TimeProvider>(), options.CrlGrace));
        services.AddSingleton<ReceiptIssuer>();
        services.AddSingleton<Router>();
        // One signer rule (Hub:SignerRule) for the facts the accept path records and the console's document page.
        var signerRule = options.SignerRule.ToRule();
        services.AddSingleton(signerRule);
        services.AddSingleton(new Lgsp.Exchange.Reports.Facts.FactsReader(signerRule));
        services.AddSingleton<AcceptService>();
        services.AddSingleton<InboxService>();
        services.AddSingleton<AgencyMandate>();
        services.AddSingleton<PackageIntake>();
        services.AddHubLimits(options.Limits, options.MaxRequestBytes);
        services.AddSingleton<ClientCallLog>();
        services.AddSingleton<ClientSystemAccounts>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<HubMetrics>();
        services.AddHostedService<KestrelConnectionMetrics>();
        services.AddSingleton(new RetryPolicy
        {
            MaxAttempts = options.Delivery.MaxAttempts,
            FirstDelay = options.Delivery.FirstDelay,
            MaxDelay = options.Delivery.MaxDelay,
            Lease = options.Delivery.LeaseFor(options.Parent.RequestTimeout),
            ReconcileGrace = options.Delivery.ReconcileGrace,
            MaxForwardGroup = Math.Max(1, options.Parent.MaxForwardGroup),
        });
        services.AddSingleton<PushDeliveries>();
        services.AddSingleton<ReplayService>();
        services.AddSingleton<IDeliveryQueue, HangfireDeliveryQueue>();
        services.AddSingleton<IJobQueueMonitor, HangfireJobQueueMonitor>();
        services.AddTransient<DeliveryJobs>();
        services.AddHttpClient<HttpPushTransport>(HttpPushTransport.ClientName, http => http.Timeout = options.Delivery.PushTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddHubLinks(options.Parent);
        services.AddSingleton<EdocEndpoint>();
        services.AddAxis();
        services.AddLedgerSealing();
        services.AddLedgerChecks();
        services.AddSingleton(options.Reports.ToReportOptions());
        services.AddSingleton<ReportService>();
        services.AddHostedService<RollupRefresh>();
        services.AddWitnessing(options.Ledger);

        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseTypeResolver(JobTypeNames.Resolve)
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = options.Delivery.PollInterval,
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
                EnableLongPolling = false,
                AllowDegradedModeWithoutStorage = false,
                DistributedLockTimeout = options.Delivery.JobLockTimeout,
            }));
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = options.Delivery.Workers;
            o.SchedulePollingInterval = options.Delivery.PollInterval;
            o.Queues = [DeliveryJobs.Queue, "default"];
        });

        services.AddHealthChecks()
            .AddCheck<DatabaseReadiness>("database", tags: ["ready"])
            .AddCheck<JobsReadiness>("jobs", tags: ["ready"]);
        return services;
    }

    /// <summary>Maps the endpoints and schedules the recurring jobs.</summary>
    public static WebApplication UseHub(this WebApplication app, DemoSetup? demo)
    {
        var options = app.Services.GetRequiredService<IOptions<HubOptions>>().Value;
        app.UseHubLimits();
        app.UseAdminGate("/hangfire");
        app.UseAdminGate("/admin", acceptTokens: true);
        if (options.Metrics.RequireAdmin)
        {
            app.UseAdminGate("/metrics");
        }

        var keyRing = app.Services.GetRequiredService<ConsoleKeyRing>();
        app.Services.GetRequiredService<HubMetrics>().WatchKeyRing(() => keyRing.Refused);
        app.UseLgspConsole();
        app.UseHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminDashboardFilter()], DashboardTitle = $"lgsp {options.Id}" });
        app.UseAxis();
        app.MapEdoc();
        app.MapTraceEndpoints();
        app.MapReplayEndpoints();
        app.MapReportEndpoints();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapMetrics("/metrics", app.Services.GetRequiredService<HubMetrics>().Registry);

        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<DeliveryJobs>(
            DeliveryJobs.ReconcilerId, j => j.ReconcileAsync(CancellationToken.None), options.Delivery.ReconcileCron);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var url = addresses?.FirstOrDefault() ?? options.Url;
            DemoStart.PrintBanner(url, options, demo);
        });
        return app;
    }
}
