using System.Globalization;

namespace Lgsp.Bench;

/// <summary>The benchmark's settings, from <c>--name value</c> arguments.</summary>
internal sealed record BenchOptions
{
    /// <summary>Concurrent clients (and concurrent floor connections).</summary>
    public int Clients { get; init; } = 16;

    /// <summary>How long the accept run and the floor run each last.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The warm-up run before them (JIT, pools; it also sizes the package pool).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Random attachment bytes per package: 72 000 make a package of about 100 KB once base64-encoded.</summary>
    public int AttachmentBytes { get; init; } = 72_000;

    /// <summary>Recipients per package in the accept run.</summary>
    public int Recipients { get; init; } = 3;

    /// <summary>Recipients of the fan-out package.</summary>
    public int Fanout { get; init; } = 200;

    /// <summary>Fan-out sends (the median is reported).</summary>
    public int FanoutRuns { get; init; } = 5;

    /// <summary>The hub's log level (its default is Information: one line per accepted package to the
    /// console and the JSON file).</summary>
    public string HubLogLevel { get; init; } = "Information";

    /// <summary>Extra Npgsql settings appended to the hub's connection string (an experiment, e.g.
    /// <c>Max Auto Prepare=32</c>); null for none.</summary>
    public string? HubNpgsql { get; init; }

    /// <summary>Run the floor before the accept run instead of after it (to see whether the order matters:
    /// a later run finds WAL segments to recycle).</summary>
    public bool FloorFirst { get; init; }

    /// <summary>Extra hub settings (<c>--hub-setting Hub:Ledger:Sealer=false</c>, repeatable).</summary>
    public IReadOnlyDictionary<string, string> HubSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>When set, run the ledger benchmark instead: this many entries written, sealed and
    /// verified.</summary>
    public int? LedgerEntries { get; init; }

    /// <summary>When set, run the large-package accept instead: packages with an attachment of this many
    /// bytes (38 800 000 makes the 51.7 MB package of issue 14), each sent alone over SOAP and then over
    /// the axis protocol, timed, with the hub's peak resident memory.</summary>
    public int? LargeAttachmentBytes { get; init; }

    /// <summary>Restart the private cluster with pg_stat_statements and report, per accept and per floor
    /// insert, the top statements, planning time, WAL bytes and TOAST compression (<c>--pg-stats</c>).</summary>
    public bool PgStats { get; init; }

    /// <summary>Watch the hub's runtime during the accept run over its diagnostics port and report its
    /// collections by generation and its large-object allocations by type per accept (<c>--gc-events</c>).</summary>
    public bool GcEvents { get; init; }

    /// <summary>Iterations of each step of the in-process profile.</summary>
    public int ProfileIterations { get; init; } = 200;

    /// <summary>The measured run's packages are built before it for this many times the warm-up's rate
    /// (the hub may still speed up); the bench stops with an error when the run uses them up.</summary>
    public double PoolHeadroom { get; init; } = 2;

    public static BenchOptions Parse(string[] args)
    {
        var given = new BenchArgs(args, Usage);
        if (given.Flag("--help"))
        {
            throw new ArgumentException(Usage);
        }

        var defaults = new BenchOptions();
        var options = defaults with
        {
            Clients = given.Int("--clients", defaults.Clients),
            Duration = given.Seconds("--duration", defaults.Duration),
            Warmup = given.Seconds("--warmup", defaults.Warmup),
            AttachmentBytes = given.Int("--attachment-bytes", defaults.AttachmentBytes),
            Recipients = given.Int("--recipients", defaults.Recipients),
            Fanout = given.Int("--fanout", defaults.Fanout),
            FanoutRuns = given.Int("--fanout-runs", defaults.FanoutRuns),
            HubLogLevel = given.Text("--hub-log-level") ?? defaults.HubLogLevel,
            HubNpgsql = given.Text("--hub-npgsql"),
            FloorFirst = given.Flag("--floor-first"),
            PgStats = given.Flag("--pg-stats"),
            GcEvents = given.Flag("--gc-events"),
            HubSettings = given.Settings("--hub-setting"),
            LedgerEntries = given.OptionalInt("--ledger"),
            LargeAttachmentBytes = given.OptionalInt("--large"),
            ProfileIterations = given.Int("--profile-iterations", defaults.ProfileIterations),
            PoolHeadroom = given.Text("--pool-headroom") is { } headroom ? double.Parse(headroom, CultureInfo.InvariantCulture) : defaults.PoolHeadroom,
        };
        given.EnsureAllRead();
        if (options.Clients < 1 || options.Duration <= TimeSpan.Zero || options.Recipients is < 1 or > 6 || options.Fanout < 1 || options.FanoutRuns < 1
            || options.PoolHeadroom < 1)
        {
            throw given.OutOfRange();
        }

        return options;
    }

    public const string Usage = """
        Lgsp.Bench [--clients 16] [--duration 30] [--warmup 10] [--attachment-bytes 72000] [--recipients 3]
                   [--fanout 200] [--fanout-runs 5] [--hub-log-level Information] [--hub-npgsql "Max Auto Prepare=32"]
                   [--floor-first] [--pg-stats] [--gc-events] [--profile-iterations 200] [--pool-headroom 2] [--hub-setting KEY=VALUE ...]
        Lgsp.Bench --ledger 100000      write, seal and verify that many ledger entries instead
        Lgsp.Bench --large 38800000     one large package (that many attachment bytes) over SOAP and axis: time and hub peak memory
        """;
}
