using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Storage;
using Lgsp.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lgsp.Web.Tests.Pages;

/// <summary>witness-check from the audit screen, run by the hub in the background: the same check as
/// <c>lgsp audit witness-check</c>, against the countersignatures the parent gave this hub.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditWitnessTests(ConsoleSite site)
{
    private static readonly LocatorAssertionsToContainTextOptions Patience = new() { Timeout = 30_000 };

    [Fact]
    public async Task On_a_hub_without_a_parent_the_audit_screen_says_nobody_witnesses_its_ledger_and_offers_no_witness_check()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor));

        await page.GotoAsync("/console/audit");

        await Expect(page.Locator("#witness-unavailable")).ToContainTextAsync("Trục này không có trục cấp trên: không ai chứng thực sổ cái của nó");
        Assert.Equal(0, await page.Locator("#start-witness").CountAsync());
    }

    [Fact]
    public async Task An_auditor_runs_witness_check_in_the_background_it_matches_the_parents_countersignature_then_finds_a_head_the_ledger_no_longer_reaches()
    {
        var parentId = $"parent-{Random.Shared.Next(100_000, 999_999)}";
        // The parent's signing certificate: any certificate of the PKI this hub trusts (an agency's here).
        using var parentCertificate = X509Certificate2.CreateFromPemFile(
            Path.Combine(site.Topology.PkiDirectory, $"org-{ConsoleSite.HacThanh}.pem"), Path.Combine(site.Topology.PkiDirectory, $"org-{ConsoleSite.HacThanh}.key.pem"));
        var parent = new HubIdentity(parentId, parentCertificate, []);
        var directory = new PostgresDirectoryStore(site.Database, TimeProvider.System);
        // Disabled: the hub's polling and witnessing loops leave it alone; its countersignatures still count.
        await directory.SaveHubAsync(new HubLink(parentId, HubRole.Parent, new Uri("http://127.0.0.1:9/"), "h56-at-parent", site.Hub.Secrets.Seal("parent-secret-TEST-ONLY"),
            null, Active: false) { SigningCertificate = parentCertificate }, "operator:test");
        try
        {
            var (checkpoint, xml) = await LatestCheckpointAsync();
            var witnesses = new PostgresWitnessStore(site.Database);
            var witness = Witness.Of(checkpoint, xml, parentId, DateTimeOffset.UtcNow);
            Assert.True(await witnesses.SaveCountersignatureAsync(witness, witness.Sign(parent), "hub", DateTimeOffset.UtcNow));
            var auditor = await site.AddUserAsync(ConsoleRole.Auditor);
            var page = await site.SignedInPageAsync(auditor);
            await page.GotoAsync("/console/audit");
            Assert.Equal(0, await page.Locator("#witness-unavailable").CountAsync());

            await page.GetByRole(AriaRole.Button, new() { Name = "Đối chiếu chứng thực (witness-check)" }).ClickAsync();

            var check = page.Locator("#witness-check");
            await Expect(check.Locator(".badge.ok")).ToContainTextAsync("Khớp với chứng thực", Patience);
            await Expect(check).ToContainTextAsync("1 đầu chuỗi được trục cấp trên chứng thực đều khớp với sổ cái hiện tại");
            await Expect(check).ToContainTextAsync($"Bắt đầu bởi user:{auditor.Name}");
            Assert.Equal(["holds", checkpoint.LastSeq, 1], await RowAsync($"user:{auditor.Name}"));
            await ConsoleSite.ScreenshotAsync(page, "audit-witness");
            await page.ReloadAsync();
            await Expect(page.Locator("#ledger-checks tbody tr").First).ToContainTextAsync("witness-check");

            // A head the parent countersigned that the current ledger does not give at that position
            // (as after a rewrite): the check names it.
            var forged = witness with { LastSeq = checkpoint.LastSeq - 1 };
            Assert.True(await witnesses.SaveCountersignatureAsync(forged, forged.Sign(parent), "hub", DateTimeOffset.UtcNow));
            var second = await site.AddUserAsync(ConsoleRole.Auditor);
            page = await site.SignedInPageAsync(second);
            await page.GotoAsync("/console/audit");

            await page.GetByRole(AriaRole.Button, new() { Name = "Đối chiếu chứng thực (witness-check)" }).ClickAsync();

            check = page.Locator("#witness-check");
            await Expect(check.Locator(".badge.bad")).ToContainTextAsync($"Sổ cái bị phá vỡ tại mục {checkpoint.LastSeq - 1}", Patience);
            await Expect(check).ToContainTextAsync($"entry rewritten at or before seq {checkpoint.LastSeq - 1}");
            Assert.Equal("broken", (await RowAsync($"user:{second.Name}"))[0]);
        }
        finally
        {
            // The other tests see a hub without a parent again (countersignatures stay: they are append-only).
            await site.Hub.QueryAsync("DELETE FROM lgsp.hub WHERE id = $1", parentId);
        }
    }

    /// <summary>The hub's latest checkpoint, waiting for the sealer if there is none yet.</summary>
    private async Task<(Checkpoint Checkpoint, byte[] Xml)> LatestCheckpointAsync()
    {
        for (var tries = 0; ; tries++)
        {
            var rows = await site.Hub.QueryAsync("SELECT xml FROM lgsp.checkpoint ORDER BY last_seq DESC LIMIT 1");
            if (rows.Count == 1)
            {
                var xml = (byte[])rows[0][0]!;
                return (Checkpoint.Verify(xml, SignerCheck.SignatureOnly).Checkpoint!, xml);
            }

            Assert.True(tries < 100, "the hub sealed nothing in 20 s");
            await Task.Delay(200);
        }
    }

    private async Task<object?[]> RowAsync(string startedBy) =>
        (await site.Hub.QueryAsync("SELECT outcome, to_seq, checkpoints FROM lgsp.ledger_check WHERE kind = 'witness-check' AND started_by = $1", startedBy)).Single();
}
