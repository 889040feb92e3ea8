using System.Security.Cryptography;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>The parent poller against a parent on loopback that keeps listing one document: a package
/// the child refuses is checked, recorded and reported <c>fail</c> once; a refusal that is the child's
/// own doing (its trust lacks the signer's root) is never reported to the parent as a failure.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ParentPollerTests(PostgresFixture postgres)
{
    private const string ChildSecret = "child-at-root-secret";
    private const string Commune = "000.00.61.H56";
    private const string Abroad = "000.00.07.H57";
    private const int Polls = 6;

    [Fact]
    public async Task A_refused_package_is_recorded_once_and_reported_fail_once_however_often_the_parent_lists_it()
    {
        await using var parent = await ScriptedAxisParent.StartAsync(ChildSecret, "P-1", Commune, "this is not an edXML package"u8.ToArray(), takeReports: true);
        await using var child = await StartChildAsync(parent);

        await WaitForPollsAsync(parent);

        Assert.Single(parent.CallsOf("getEdoc"));
        var report = Assert.Single(parent.CallsOf("updateStatus"));
        Assert.Equal(("P-1", "fail"), (report.Parameters["docId"], report.Parameters["status"]));
        Assert.Equal(1L, await child.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.refused'"));
    }

    [Fact]
    public async Task A_fail_the_parent_did_not_take_is_reported_again_without_checking_or_recording_the_package_again()
    {
        await using var parent = await ScriptedAxisParent.StartAsync(ChildSecret, "P-2", Commune, "this is not an edXML package"u8.ToArray(), takeReports: false);
        await using var child = await StartChildAsync(parent);

        await WaitForPollsAsync(parent);

        Assert.Single(parent.CallsOf("getEdoc"));
        Assert.True(parent.CallsOf("updateStatus").Count >= Polls - 1);
        Assert.All(parent.CallsOf("updateStatus"), r => Assert.Equal("fail", r.Parameters["status"]));
        Assert.Equal(1L, await child.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.refused'"));
    }

    [Fact]
    public async Task A_package_signed_under_a_root_the_child_does_not_trust_is_not_reported_to_the_parent_and_is_tried_again_later()
    {
        using var otherPki = TestPki.Create("Other province");
        using var signer = otherPki.IssueOrganization(Abroad, "Sở ngoài tỉnh");
        var package = PackageSigner.Sign(TestPackages.Document(Abroad, [Commune]), signer);
        await using var parent = await ScriptedAxisParent.StartAsync(ChildSecret, "P-3", Commune, package, takeReports: true);
        await using var child = await StartChildAsync(parent);

        await WaitForPollsAsync(parent);

        Assert.Empty(parent.CallsOf("updateStatus"));
        var fetched = parent.CallsOf("getEdoc").Count;
        Assert.InRange(fetched, 1, Polls / 2);
        Assert.Equal((long)fetched, await child.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.refused' AND detail ->> 'code' = 'CertificateUntrustedRoot'"));
        Assert.Equal(0L, await child.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task A_package_the_child_cannot_store_because_its_own_database_fails_is_not_reported_to_the_parent_and_is_taken_once_it_recovers()
    {
        await using var child = await RunningHub.StartAsync(postgres, ChildSettings);
        // The child's database refuses to store any package (a full disk, a lost privilege).
        await child.ScalarAsync("""
            CREATE FUNCTION lgsp.test_store_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$;
            CREATE TRIGGER test_store_fails BEFORE INSERT ON lgsp.package FOR EACH ROW EXECUTE FUNCTION lgsp.test_store_fails();
            """);
        // From an agency beyond the parent, signed with a certificate of the child's own demo PKI, so
        // that its trust has the whole chain (a hub caller's signer needs no registration).
        var signer = child.System(Commune);
        var package = TestPackages.Sign(TestPackages.Document(Abroad, [Commune]), signer.CertPem, signer.KeyPem);
        await using var parent = await ScriptedAxisParent.StartAsync(ChildSecret, "P-4", Commune, package, takeReports: true);
        await ConnectAsync(child, parent);

        await WaitForPollsAsync(parent);

        Assert.Empty(parent.CallsOf("updateStatus"));
        Assert.InRange(parent.CallsOf("getEdoc").Count, 1, Polls / 2);

        await child.ScalarAsync("DROP TRIGGER test_store_fails ON lgsp.package");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (parent.CallsOf("updateStatus").Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the deferred package was not tried again");
            await Task.Delay(100);
        }

        // This scripted parent keeps listing the package after it is taken, so a later cycle (every
        // 300 ms) may take it again: a duplicate, stored nothing, confirmed "done" again.
        Assert.All(parent.CallsOf("updateStatus"), report => Assert.Equal("done", report.Parameters["status"]));
        Assert.Equal(1L, await child.ScalarAsync("SELECT count(*) FROM lgsp.package"));
        Assert.Equal(1L, await child.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.received'"));
    }

    private static readonly Dictionary<string, string?> ChildSettings = new() { ["Hub:Parent:PollInterval"] = "00:00:00.300" };

    private async Task<RunningHub> StartChildAsync(ScriptedAxisParent parent)
    {
        var child = await RunningHub.StartAsync(postgres, ChildSettings);
        await ConnectAsync(child, parent);
        return child;
    }

    private static Task ConnectAsync(RunningHub child, ScriptedAxisParent parent) =>
        child.Services.GetRequiredService<IDirectoryStore>().SaveHubAsync(
            new HubLink("root", HubRole.Parent, parent.BaseUrl, "h56-at-root", child.Services.GetRequiredService<SecretBox>().Seal(ChildSecret), null, true), "test");

    private static async Task WaitForPollsAsync(ScriptedAxisParent parent)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (parent.Calls.Count(c => c.Operation == "getReceivedEdocList" && c.Parameters.GetValueOrDefault("messagetype") == "edoc") < Polls)
        {
            Assert.True(DateTime.UtcNow < deadline, "the child did not poll its parent");
            await Task.Delay(100);
        }
    }
}
