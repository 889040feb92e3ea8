using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Ledger;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Ledger;
using Lgsp.TestSupport.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Lgsp.Server.Tests.Ledger;

/// <summary>The console's ledger checks as the hub runs them, on real PostgreSQL: pinned to the hub's
/// own signing certificate, whatever else chains to the same root.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LedgerChecksTests(PostgresFixture postgres)
{
    [Fact(Timeout = 60_000)]
    public async Task A_ledger_sealed_by_the_hub_holds_and_the_same_ledger_checked_for_another_certificate_under_the_same_root_is_broken()
    {
        using var pki = TestPki.Create("Ledger checks TEST ONLY");
        var hub = new HubIdentity("h56", pki.IssueOrganization("000.00.00.H56", "LGSP hub"), [pki.Intermediate]);
        var impostor = new HubIdentity("h56", pki.IssueOrganization("000.00.00.H56", "LGSP hub"), [pki.Intermediate]);
        await using var data = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var users = new PostgresConsoleUserStore(data, TimeProvider.System);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await users.AddAsync(new ConsoleUser($"clerk{i}", ConsoleRole.Auditor, [], "local", SecretHash.Hash("pw-TEST-ONLY"), false, 0, null,
                DateTimeOffset.UtcNow, null), "user:admin"));
        }

        await new PostgresLedgerSealer(data, TimeProvider.System).SealAsync(hub);
        var audit = new PostgresLedgerAudit(data);

        var holds = await CheckAsync(data, audit, hub, "user:auditor");
        var broken = await CheckAsync(data, audit, impostor, "user:auditor");

        Assert.Equal((LedgerCheckOutcome.Holds, 3L, 1), (holds.Outcome, holds.SealedEntries!.Value, holds.Checkpoints!.Value));
        Assert.Equal("user:auditor", holds.StartedBy);
        Assert.Equal(LedgerCheckOutcome.Broken, broken.Outcome);
        Assert.Equal(1L, broken.BreakSeq);
        Assert.Contains("pinned", broken.Problem, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Runs one check through a started <see cref="LedgerChecks"/> for <paramref name="hub"/>
    /// and waits for its stored outcome.</summary>
    private static async Task<LedgerCheckRun> CheckAsync(NpgsqlDataSource data, PostgresLedgerAudit audit, HubIdentity hub, string actor)
    {
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        using var checks = new LedgerChecks(new PostgresLedger(data), audit, hub, directory, new TrustCache(directory, TimeProvider.System, TimeSpan.FromMinutes(1)),
            new PostgresWitnessStore(data), TimeProvider.System, NullLogger<LedgerChecks>.Instance);
        await checks.StartAsync(CancellationToken.None);
        try
        {
            var start = await checks.StartVerifyAsync(actor);
            Assert.False(start.AlreadyRunning);
            while (true)
            {
                var run = (await audit.CheckAsync(start.Run!.Id))!;
                if (!run.Running)
                {
                    return run;
                }

                await Task.Delay(50);
            }
        }
        finally
        {
            await checks.StopAsync(CancellationToken.None);
        }
    }
}
