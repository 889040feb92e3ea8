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

    private async Task<RunningHub> StartChildAsync(ScriptedAxisParent parent)
    {
        var child = await RunningHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:Parent:PollInterval"] = "00:00:00.300" });
        var secrets = child.Services.GetRequiredService<SecretBox>();
        await child.Services.GetRequiredService<IDirectoryStore>().SaveHubAsync(
            new HubLink("root", HubRole.Parent, parent.BaseUrl, "h56-at-root", secrets.Seal(ChildSecret), null, true), "test");
        return child;
    }

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
