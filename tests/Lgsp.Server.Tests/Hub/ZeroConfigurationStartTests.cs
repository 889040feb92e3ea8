using System.Text.Json;
using Lgsp.Postgres.Cluster;
using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Server.Tests.Hub;

/// <summary>The README's run command: the built server started with no configuration at all, in an
/// empty folder, as a real process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ZeroConfigurationStartTests
{
    [Fact]
    public async Task TheServerStartsFromNothingSeedsTheDemoAndReusesItOnTheNextStart()
    {
        var folder = Directory.CreateTempSubdirectory("lgsp-zero-config-").FullName;
        // Like a checkout: readable by others, so the postgres account can reach ./var when the test runs as root.
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        var noSettings = new Dictionary<string, string?> { ["ConnectionStrings:Lgsp"] = null };
        try
        {
            DemoSetup demo;
            await using (var first = await HubProcess.StartAsync(noSettings, folder, TimeSpan.FromSeconds(120)))
            {
                // The private cluster, the PKI and the credentials are under ./var.
                Assert.True(File.Exists(Path.Combine(folder, "var", "pg", "PG_VERSION")), first.Output);
                Assert.True(File.Exists(Path.Combine(folder, "var", "pki", "root.pem")));
                var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "var", "demo.json"))).RootElement;
                Assert.EndsWith("/soap/edoc?wsdl", json.GetProperty("wsdl").GetString(), StringComparison.Ordinal);
                Assert.False(string.IsNullOrEmpty(json.GetProperty("url").GetString()));
                var system = json.GetProperty("systems")[0];
                foreach (var property in new[] { "id", "secret", "certPem", "keyPem" })
                {
                    Assert.False(string.IsNullOrEmpty(system.GetProperty(property).GetString()), property);
                }

                Assert.NotEmpty(system.GetProperty("agencies").EnumerateArray());
                demo = DemoSetup.Read(Path.Combine(folder, "var", "demo.json"));
                Assert.Contains(demo.Systems[0].Secret, first.Output, StringComparison.Ordinal);
                Assert.Equal("auditor", json.GetProperty("auditor").GetProperty("id").GetString());
                Assert.Contains($"auditor              {demo.Auditor!.Secret}  auditor: may trace any document", first.Output, StringComparison.Ordinal);

                // The console's demo users: an administrator and an auditor, printed and written to demo.json.
                Assert.Equal(["admin", "auditor"], demo.Console!.Select(u => u.Role));
                foreach (var user in demo.Console!)
                {
                    Assert.Contains($"    {user.User,-20} {user.Password}  {user.Role}", first.Output, StringComparison.Ordinal);
                }

                Assert.Contains($"{first.BaseUri.ToString().TrimEnd('/')}/console/login", first.Output, StringComparison.Ordinal);

                // A demo system sends a package signed with its demo certificate: the strict policy accepts it.
                var sender = demo.Systems.Single(s => s.Agencies.Contains("000.00.61.H56"));
                var package = TestPackages.Sign(TestPackages.Document("000.00.61.H56", ["000.00.02.H56"]), sender.CertPem, sender.KeyPem);
                using var http = new HttpClient();
                var answer = await EdocHttp.SendDocumentAsync(http, first.SoapUri, sender.Id, sender.Secret, EdocHttp.SendDocumentEnvelope(package));
                Assert.False(answer.Duplicate);

                Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(60)));
                Assert.Contains("Stopped the server", first.Output, StringComparison.Ordinal);
                Assert.False(File.Exists(Path.Combine(folder, "var", "pg", "postmaster.pid")), "the private cluster is stopped with the hub");
            }

            // The next start reuses the cluster, the directory and the credentials.
            await using var second = await HubProcess.StartAsync(noSettings, folder, TimeSpan.FromSeconds(120));
            Assert.Contains("Existing cluster", second.Output, StringComparison.Ordinal);
            Assert.Equal(demo, DemoSetup.Read(Path.Combine(folder, "var", "demo.json")), DemoSetupComparer.Instance);
            var receiver = demo.Systems.Single(s => s.Agencies.Contains("000.00.02.H56"));
            using var client = new HttpClient();
            Assert.Single(await EdocHttp.GetPendingDocumentsAsync(client, second.SoapUri, receiver.Id, receiver.Secret, "000.00.02.H56"));
            Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            await StopLeftoverClusterAsync(Path.Combine(folder, "var", "pg"));
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheChildDemoStartsWithItsOwnIdCommunesAndCertificateAuthoritiesInItsOwnFolder()
    {
        var folder = Directory.CreateTempSubdirectory("lgsp-zero-config-child-").FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        var data = Path.Combine(folder, DemoStart.ChildDataDirectory);
        try
        {
            await using (var child = await HubProcess.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:Lgsp"] = null, ["Hub:Demo"] = "child" },
                folder, TimeSpan.FromSeconds(120)))
            {
                Assert.Contains($"lgsp hub {DemoProvince.ChildHubId} is listening", child.Output, StringComparison.Ordinal);
                Assert.False(Directory.Exists(Path.Combine(folder, "var")), "the child keeps out of the province demo's folder");
                var demo = DemoSetup.Read(Path.Combine(data, DemoStart.FileName));
                Assert.Equal(DemoShape.Child, demo.Shape);
                Assert.Equal(DemoProvince.ChildAgencies.Select(a => a.Code), demo.Systems.SelectMany(s => s.Agencies));
                using var root = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(data, "pki", "root.pem")));
                Assert.Contains("child demo", root.Subject, StringComparison.Ordinal);

                // Its communes exchange documents as the province's do.
                var sender = demo.Systems[0];
                var receiver = demo.Systems[1];
                var package = TestPackages.Sign(TestPackages.Document(sender.Agencies[0], [receiver.Agencies[0]]), sender.CertPem, sender.KeyPem);
                using var http = new HttpClient();
                Assert.False((await EdocHttp.SendDocumentAsync(http, child.SoapUri, sender.Id, sender.Secret, EdocHttp.SendDocumentEnvelope(package))).Duplicate);
                Assert.Single(await EdocHttp.GetPendingDocumentsAsync(http, child.SoapUri, receiver.Id, receiver.Secret, receiver.Agencies[0]));
                Assert.Equal(0, await child.StopAsync(TimeSpan.FromSeconds(60)));
            }

            // Its folder started as the province demo is refused, saying which demo it holds.
            var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() => HubProcess.StartAsync(
                new Dictionary<string, string?> { ["ConnectionStrings:Lgsp"] = null, ["Hub:DataDirectory"] = data }, folder, TimeSpan.FromSeconds(120)));
            Assert.Contains("holds the child demo, not the province demo: start with --demo child", wrong.Message, StringComparison.Ordinal);
        }
        finally
        {
            await StopLeftoverClusterAsync(Path.Combine(data, "pg"));
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task StopLeftoverClusterAsync(string directory)
    {
        if (File.Exists(Path.Combine(directory, "postmaster.pid")))
        {
            var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = directory });
            await cluster.StopAsync(PostgresStopMode.Immediate);
        }
    }

    private sealed class DemoSetupComparer : IEqualityComparer<DemoSetup>
    {
        public static readonly DemoSetupComparer Instance = new();

        public bool Equals(DemoSetup? x, DemoSetup? y) =>
            x is not null && y is not null && x.Url == y.Url && x.Admin == y.Admin
            && x.Systems.Select(s => (s.Id, s.Secret, s.CertPem)).SequenceEqual(y.Systems.Select(s => (s.Id, s.Secret, s.CertPem)))
            && (x.Console ?? []).SequenceEqual(y.Console ?? []);

        public int GetHashCode(DemoSetup obj) => obj.Url.GetHashCode(StringComparison.Ordinal);
    }
}
