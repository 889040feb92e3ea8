using System.Net;
using System.Xml.Linq;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using Lgsp.Web.Auth.KeyRing;
using Xunit.Sdk;

namespace Lgsp.Server.Tests.Hub;

/// <summary>
/// The console behind a round-robin front: hub processes on one database share the console's key ring
/// (lgsp.data_protection_key, sealed with the hub's secret key), so a sign-in made on one instance holds
/// on another, a form token from one is accepted by another, and a sign-in survives a restart. An
/// instance with another secret key cannot open the ring, and says so.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsoleAcrossInstancesTests(PostgresFixture postgres)
{
    private const string HubId = "kr";
    private static readonly AgencySpec[] Agencies = [new("000.00.01.H26", "Sở thử nghiệm", AgencyTier.Department, HubId)];

    [Fact(Timeout = 600_000)]
    public async Task A_sign_in_made_on_one_instance_holds_on_another_and_a_form_token_from_one_is_accepted_by_the_other()
    {
        await using var topology = await Topology.StartAsync(postgres, [new(HubId, null)], Agencies);
        var one = topology[HubId];
        await using var another = await StartInstanceAsync(one, "b");
        var (name, password) = await ConsoleSession.AddUserAsync(one.ConnectionString, ConsoleRole.Operator);
        using var session = new ConsoleSession();

        await Explain(async () =>
        {
            await session.SignInAsync(one.BaseUri, name, password);
            var token = await session.FormTokenAsync(new Uri(one.BaseUri, "console/"));

            using var page = await session.GetAsync(new Uri(another.BaseUri, "console/"));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(name, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The sign-out form of the page instance one served, posted to the other instance.
            using var signOut = await session.PostAsync(new Uri(another.BaseUri, "console/logout"), token);
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            Assert.Equal("/console/login", signOut.Headers.Location?.OriginalString);
            Assert.Equal(1L, await CountKeysAsync(one));
        }, another);
    }

    [Fact(Timeout = 600_000)]
    public async Task Two_instances_starting_at_once_on_an_empty_ring_make_one_key_and_share_it()
    {
        await using var topology = await Topology.StartAsync(postgres, [new(HubId, null)], Agencies);
        var one = topology[HubId];
        await one.StopAsync();
        await one.QueryAsync("DELETE FROM lgsp.data_protection_key");
        var (name, password) = await ConsoleSession.AddUserAsync(one.ConnectionString, ConsoleRole.Auditor);

        var starting = StartInstanceAsync(one, "b");
        await Task.WhenAll(one.StartAsync(), starting);
        await using var another = await starting;

        await Explain(async () =>
        {
            Assert.Equal(1L, await CountKeysAsync(one));
            using var session = new ConsoleSession();
            await session.SignInAsync(another.BaseUri, name, password);
            using var page = await session.GetAsync(new Uri(one.BaseUri, "console/"));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(name, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }, another);
    }

    [Fact(Timeout = 600_000)]
    public async Task A_sign_in_survives_a_restart_of_the_hub()
    {
        await using var topology = await Topology.StartAsync(postgres, [new(HubId, null)], Agencies);
        var hub = topology[HubId];
        var (name, password) = await ConsoleSession.AddUserAsync(hub.ConnectionString, ConsoleRole.Auditor);
        using var session = new ConsoleSession();
        await session.SignInAsync(hub.BaseUri, name, password);

        await hub.StopAsync();
        await hub.StartAsync();

        using var page = await session.GetAsync(new Uri(hub.BaseUri, "console/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(name, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1L, await CountKeysAsync(hub));
    }

    [Fact(Timeout = 600_000)]
    public async Task The_stored_keys_hold_no_key_material_in_clear_and_an_instance_with_another_secret_key_refuses_the_console_and_serves_the_rest()
    {
        await using var topology = await Topology.StartAsync(postgres, [new(HubId, null)], Agencies);
        var hub = topology[HubId];
        var stored = (string)Assert.Single(await hub.QueryAsync("SELECT xml FROM lgsp.data_protection_key"))[0]!;
        var sealedKey = XElement.Parse(stored).Descendants(SealedXmlEncryptor.Element).Single();
        var master = new SealedXmlDecryptor(hub.Secrets).Decrypt(sealedKey).Descendants("value").Single().Value;
        Assert.True(master.Length >= 40, "The opened key has no master key value.");
        Assert.DoesNotContain(master, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", stored, StringComparison.Ordinal);

        await using var stray = await StartInstanceAsync(hub, "stray", ownSecretKey: true);
        await Explain(async () =>
        {
            using var http = new HttpClient();
            using var console = await http.GetAsync(new Uri(stray.BaseUri, "console/login"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, console.StatusCode);
            var page = await console.Content.ReadAsStringAsync();
            Assert.Contains(ConsoleKeyRing.ForeignSealEnglish, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
            Assert.Contains(ConsoleKeyRing.ForeignSealCode, page, StringComparison.Ordinal);
            Assert.Contains(ConsoleKeyRing.ForeignSealCode, stray.Output, StringComparison.Ordinal);
            Assert.Contains("lgsp_console_key_ring_refused 1", await http.GetStringAsync(new Uri(stray.BaseUri, "metrics")), StringComparison.Ordinal);
            Assert.Contains("lgsp_console_key_ring_refused 0", await http.GetStringAsync(new Uri(hub.BaseUri, "metrics")), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(stray.BaseUri, "health/ready"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(stray.BaseUri, "soap/edoc?wsdl"))).StatusCode);
            Assert.Equal(1L, await CountKeysAsync(hub));
        }, stray);
    }

    /// <summary>Another instance of <paramref name="hub"/>: the same settings and database, its own port
    /// and data directory; with <paramref name="ownSecretKey"/>, a secret key file of its own.</summary>
    private static async Task<HubProcess> StartInstanceAsync(TopologyHub hub, string name, bool ownSecretKey = false)
    {
        var directory = Directory.CreateDirectory(hub.Directory + "-" + name).FullName;
        var settings = new Dictionary<string, string?>(hub.Settings) { ["Hub:DataDirectory"] = directory };
        if (ownSecretKey)
        {
            settings["Hub:SecretKeyPath"] = Path.Combine(directory, "another-secret.key");
        }

        return await HubProcess.StartAsync(settings, directory, TimeSpan.FromSeconds(120));
    }

    private static async Task<long> CountKeysAsync(TopologyHub hub) =>
        (long)(await hub.QueryAsync("SELECT count(*) FROM lgsp.data_protection_key"))[0][0]!;

    // A failure carries the other instance's last lines: its log says why it refused.
    private static async Task Explain(Func<Task> test, HubProcess other)
    {
        try
        {
            await test();
        }
        catch (Exception ex) when (ex is XunitException)
        {
            throw new XunitException($"{ex.Message}{Environment.NewLine}--- {other.BaseUri}{Environment.NewLine}"
                + string.Join(Environment.NewLine, other.Output.Split(Environment.NewLine).TakeLast(40)), ex);
        }
    }
}
