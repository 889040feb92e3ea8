using Lgsp.Exchange.Directory;
using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Schema;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;
using Npgsql;

namespace Lgsp.Bench;

// Setting up: a working directory the cluster's account can reach, a durable migrated cluster, the demo
// province with the fan-out's communes, and the hub in its own process.
internal sealed partial class AcceptBench
{
    /// <summary>A new temporary working directory the cluster's account can reach.</summary>
    internal static string NewRoot(string prefix)
    {
        var root = Directory.CreateTempSubdirectory(prefix).FullName;
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The benchmark runs on Linux (a private PostgreSQL cluster, /proc).");
        }

        if (Environment.UserName == "root")
        {
            // initdb and the server then run as the postgres account, which must reach pg/ inside.
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        }

        return root;
    }

    /// <summary>A kept working directory (created when missing), readable by the postgres account as <see cref="NewRoot"/>'s.</summary>
    internal static string KeptRoot(string path)
    {
        var root = Directory.CreateDirectory(Path.GetFullPath(path)).FullName;
        if (OperatingSystem.IsLinux() && Environment.UserName == "root")
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        }

        return root;
    }

    /// <summary>A durable private cluster under <paramref name="root"/>, migrated.</summary>
    internal static async Task<PostgresCluster> StartClusterAsync(string root)
    {
        Say($"Working directory {root} ({FileSystemOf(root)})");
        var cluster = await PostgresCluster.StartAsync(
            new PostgresClusterOptions { DataDirectory = Path.Combine(root, "pg"), Durable = true }, line => Say("[pg] " + line));
        await Migrator.ApplyAsync(cluster.ConnectionString);
        return cluster;
    }

    public static async Task<AcceptBench> SetUpAsync(BenchOptions options)
    {
        var root = NewRoot("lgsp-bench-");
        var cluster = await StartClusterAsync(root);
        if (options.PgStats)
        {
            cluster = await WithStatementStatsAsync(cluster, root);
        }

        var data = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { MaxPoolSize = options.Clients + 10 }.ConnectionString);

        var pki = Path.Combine(root, "pki");
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        var secretKey = Path.Combine(root, "secret.key");
        var demo = await DemoProvince.SeedAsync(directory, pki, "http://127.0.0.1", Lgsp.Exchange.Directory.SecretBox.LoadOrCreate(secretKey));
        var communes = Enumerable.Range(0, options.Fanout).Select(i => string.Create(Inv, $"000.{1 + i / 100:00}.{i % 100:00}.H56")).ToList();
        for (var i = 0; i < communes.Count; i++)
        {
            await directory.SaveAgencyAsync(new Agency(communes[i], string.Create(Inv, $"UBND xã thử nghiệm {i + 1}"), DemoProvince.Province, AgencyTier.Commune, true, null, null, default), "bench");
        }

        Say($"Seeded the demo province and {communes.Count} more communes");
        var hubDirectory = Directory.CreateDirectory(Path.Combine(root, "hub")).FullName;
        var hub = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lgsp"] = options.HubNpgsql is { } extra ? cluster.ConnectionString + ";" + extra : cluster.ConnectionString,
            ["Hub:DataDirectory"] = hubDirectory,
            ["Hub:SecretKeyPath"] = secretKey,
            ["Hub:CertificatePath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".pem"),
            ["Hub:CertificateKeyPath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".key.pem"),
            ["Serilog:MinimumLevel:Default"] = options.HubLogLevel,
            // Every client of the bench calls from 127.0.0.1 as one of a few systems: the per-address and
            // per-system limits (300/s and 200/s by default) would measure the limiter, not the accept path.
            ["Hub:Limits:PerAddress:Permits"] = "1000000",
            ["Hub:Limits:PerSystem:Permits"] = "1000000",
        }.Where(kv => !options.HubSettings.ContainsKey(kv.Key))
            .Concat(options.HubSettings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))).ToDictionary(), hubDirectory);
        Say($"Hub process {hub.ProcessId} ready on {hub.BaseUri}");
        return new AcceptBench(options, root, cluster, data, hub, demo, pki, communes);
    }
}
