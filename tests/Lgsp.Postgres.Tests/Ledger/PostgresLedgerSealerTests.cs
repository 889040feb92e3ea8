using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Ledger;
using Lgsp.Postgres.Ledger;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Ledger;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerSealerTests(PostgresFixture fixture, LedgerTestHub hub) : IClassFixture<LedgerTestHub>
{
    private readonly LedgerTestHub _hub = hub;

    [Fact]
    public async Task Committed_entries_are_sealed_in_seq_order_under_one_signed_checkpoint_that_verifies()
    {
        var (connectionString, data) = await OpenAsync();
        await LedgerTestHub.AppendAsync(data, 5);

        var result = await Sealer(data).SealAsync(_hub.Identity);

        Assert.Equal((1, 5L), (result.Checkpoints, result.Entries));
        Assert.Equal("1 5 5", await Sql.ScalarAsync(connectionString, "SELECT first_seq || ' ' || last_seq || ' ' || count FROM lgsp.checkpoint"));
        Assert.Equal(5L, await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM lgsp.ledger_seal WHERE checkpoint_id = (SELECT id FROM lgsp.checkpoint)"));
        var xml = (byte[])(await Sql.ScalarAsync(connectionString, "SELECT xml FROM lgsp.checkpoint"))!;
        var verdict = Checkpoint.Verify(xml, new SignerCheck(_hub.Trust));
        Assert.True(verdict.IsTrusted, verdict.Problem);
        var holds = await new PostgresLedger(data).VerifyAsync(_hub.Signer);
        Assert.True(holds.Holds, holds.Break?.ToString());
        Assert.Equal(verdict.Checkpoint!.Head, holds.Head);
    }

    [Fact]
    public async Task A_backlog_is_sealed_in_contiguous_checkpoints_of_at_most_the_batch_size()
    {
        var (connectionString, data) = await OpenAsync();
        await LedgerTestHub.AppendAsync(data, 7);

        var result = await Sealer(data, batchSize: 3).SealAsync(_hub.Identity);

        Assert.Equal((3, 7L, 7L), (result.Checkpoints, result.Entries, result.LastSeq));
        Assert.Equal("1-3:3 4-6:3 7-7:1", await Sql.ScalarAsync(connectionString,
            "SELECT string_agg(first_seq || '-' || last_seq || ':' || count, ' ' ORDER BY first_seq) FROM lgsp.checkpoint"));
        Assert.Equal(0L, await Sql.ScalarAsync(connectionString,
            "SELECT count(*) FROM lgsp.checkpoint c JOIN lgsp.checkpoint p ON p.last_seq < c.first_seq AND p.head <> c.previous_head AND NOT EXISTS (SELECT 1 FROM lgsp.checkpoint m WHERE m.first_seq > p.last_seq AND m.first_seq < c.first_seq)"));
        Assert.True((await new PostgresLedger(data).VerifyAsync(_hub.Signer)).Holds);
    }

    [Fact]
    public async Task The_sealer_never_seals_past_a_writer_still_holding_a_smaller_seq()
    {
        var (_, data) = await OpenAsync();
        var sealer = Sealer(data);
        await LedgerTestHub.AppendAsync(data, 2);
        await sealer.SealAsync(_hub.Identity);
        await using var slow = await data.OpenConnectionAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        var held = await LedgerTestHub.AppendAsync(slow, slowTx, "slow", 0);
        await LedgerTestHub.AppendAsync(data, 2, "fast");

        var whileOpen = await sealer.SealAsync(_hub.Identity);
        await slowTx.CommitAsync();
        var afterCommit = await sealer.SealAsync(_hub.Identity);

        Assert.Equal(3, held);
        Assert.Equal((0L, 2L), (whileOpen.Entries, whileOpen.LastSeq));
        Assert.Equal((3L, 5L), (afterCommit.Entries, afterCommit.LastSeq));
        var verdict = await new PostgresLedger(data).VerifyAsync(_hub.Signer);
        Assert.True(verdict.Holds, verdict.Break?.ToString());
        Assert.Equal(5, verdict.SealedEntries);
    }

    [Fact]
    public async Task A_seq_left_by_a_rolled_back_transaction_is_a_permanent_gap_the_chain_skips()
    {
        var (connectionString, data) = await OpenAsync();
        await LedgerTestHub.AppendAsync(data, 1);
        await using (var connection = await data.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await LedgerTestHub.AppendAsync(connection, tx, "rolled back", 0);
            await tx.RollbackAsync();
        }

        await LedgerTestHub.AppendAsync(data, 1);

        var result = await Sealer(data).SealAsync(_hub.Identity);

        Assert.Equal((2L, 3L), (result.Entries, result.LastSeq));
        Assert.Equal("1 3 2", await Sql.ScalarAsync(connectionString, "SELECT first_seq || ' ' || last_seq || ' ' || count FROM lgsp.checkpoint"));
        Assert.True((await new PostgresLedger(data).VerifyAsync(_hub.Signer)).Holds);
    }

    [Fact]
    public async Task Concurrent_sealers_while_entries_are_written_produce_one_chain_with_every_entry_sealed_once()
    {
        var (connectionString, data) = await OpenAsync();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() => LedgerTestHub.AppendAsync(data, 60, $"writer {w}"))).ToArray();
        var sealers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var sealer = Sealer(data, batchSize: 7);
            while (!writers.All(w => w.IsCompleted))
            {
                await sealer.SealAsync(_hub.Identity);
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await Task.WhenAll(sealers);
        await Sealer(data).SealAsync(_hub.Identity);

        var verdict = await new PostgresLedger(data).VerifyAsync(_hub.Signer);

        Assert.True(verdict.Holds, verdict.Break?.ToString());
        Assert.Equal(240, verdict.SealedEntries);
        Assert.Equal(0, verdict.Unsealed);
        Assert.Equal(240L, await Sql.ScalarAsync(connectionString, "SELECT count(DISTINCT seq) FROM lgsp.ledger_seal"));
        Assert.Equal(240L, await Sql.ScalarAsync(connectionString, "SELECT sum(count)::bigint FROM lgsp.checkpoint"));
    }

    [Fact]
    public async Task The_status_counts_the_positions_after_the_last_checkpoint_a_rolled_back_gap_included_and_dates_the_first()
    {
        var (connectionString, data) = await OpenAsync();
        var ledger = new PostgresLedger(data);
        await LedgerTestHub.AppendAsync(data, 3);
        await Sealer(data).SealAsync(_hub.Identity);
        await LedgerTestHub.AppendAsync(data, 1);
        await using (var connection = await data.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await LedgerTestHub.AppendAsync(connection, tx, "rolled back", 0);
            await tx.RollbackAsync();
        }

        await LedgerTestHub.AppendAsync(data, 1);

        var behind = await ledger.StatusAsync();
        await Sealer(data).SealAsync(_hub.Identity);
        var caughtUp = await ledger.StatusAsync();

        Assert.Equal((6L, 3L, 3L), (behind.LastSeq, behind.SealedThrough, behind.Unsealed));
        Assert.Equal(await Sql.ScalarAsync(connectionString, "SELECT at FROM lgsp.ledger WHERE seq = 4"), behind.OldestUnsealedAt?.UtcDateTime);
        Assert.Equal((6L, 6L, 0L), (caughtUp.LastSeq, caughtUp.SealedThrough, caughtUp.Unsealed));
        Assert.Null(caughtUp.OldestUnsealedAt);
    }

    private static PostgresLedgerSealer Sealer(NpgsqlDataSource data, int batchSize = PostgresLedgerSealer.DefaultBatchSize) =>
        new(data, TimeProvider.System, batchSize, TimeSpan.FromMilliseconds(300));

    private async Task<(string ConnectionString, NpgsqlDataSource Data)> OpenAsync()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        return (connectionString, NpgsqlDataSource.Create(connectionString));
    }
}
