using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The audit screen's store: check runs and the console's action log, on real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerAuditTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_second_check_is_not_started_while_one_runs_and_a_finished_one_keeps_its_outcome()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var audit = new PostgresLedgerAudit(data);

        var first = await audit.StartCheckAsync("user:a", 0, 10, At, At.AddMinutes(-2));
        var second = await audit.StartCheckAsync("user:b", 0, 10, At.AddSeconds(1), At.AddMinutes(-2));
        await audit.ProgressAsync(first!.Id, 4, At.AddSeconds(2));
        var running = await audit.CheckAsync(first.Id);
        await audit.FinishCheckAsync(first.Id, LedgerCheckOutcome.Broken, 7, "entry 7 changed", 6, 1, At.AddSeconds(3));
        var third = await audit.StartCheckAsync("user:b", 0, 12, At.AddSeconds(4), At.AddMinutes(-2));

        Assert.Null(second);
        Assert.Equal((4L, 40), (running!.CheckedThrough!.Value, running.Percent));
        Assert.True(running.Running);
        var finished = (await audit.ChecksAsync(10)).Single(r => r.Id == first.Id);
        Assert.Equal((LedgerCheckOutcome.Broken, 7L, "entry 7 changed", "user:a"), (finished.Outcome!.Value, finished.BreakSeq!.Value, finished.Problem, finished.StartedBy));
        Assert.Equal("user:b", third!.StartedBy);
    }

    [Fact]
    public async Task A_check_without_progress_for_long_is_given_up_by_the_next_start()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var audit = new PostgresLedgerAudit(data);

        var lost = await audit.StartCheckAsync("user:a", 0, 10, At, At.AddMinutes(-2));
        var next = await audit.StartCheckAsync("user:b", 0, 10, At.AddMinutes(5), At.AddMinutes(3));

        Assert.NotNull(next);
        Assert.Equal(LedgerCheckOutcome.Abandoned, (await audit.CheckAsync(lost!.Id))!.Outcome);
    }

    [Fact]
    public async Task The_action_log_lists_only_console_users_entries_newest_first_a_page_at_a_time()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        foreach (var actor in new[] { "user:a", "system:x", "user:b", "operator:cli", "user:c" })
        {
            await using var command = data.CreateCommand("INSERT INTO lgsp.ledger (at, kind, actor, detail) VALUES ($1, $2, $3, '{}')");
            command.Parameters.AddWithValue(At);
            command.Parameters.AddWithValue(LedgerKind.UserChanged);
            command.Parameters.AddWithValue(actor);
            await command.ExecuteNonQueryAsync();
        }

        var audit = new PostgresLedgerAudit(data);
        var first = await audit.ConsoleActionsAsync(null, 2);
        var second = await audit.ConsoleActionsAsync(first.Next, 2);

        Assert.Equal(["user:c", "user:b"], first.Actions.Select(a => a.Actor));
        Assert.Equal(["user:a"], second.Actions.Select(a => a.Actor));
        Assert.Null(second.Next);
    }
}
