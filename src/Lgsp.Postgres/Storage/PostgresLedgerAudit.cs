using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Ledger;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="ILedgerAudit"/> on PostgreSQL: the head (through <see cref="PostgresLedger"/>),
/// the console's actions (index <c>ledger_console_actions</c>, migration 0018) and the check runs
/// (<c>lgsp.ledger_check</c>, in <c>PostgresLedgerAudit.Checks.cs</c>).</summary>
/// <remarks>Thread safe.</remarks>
public sealed partial class PostgresLedgerAudit(NpgsqlDataSource dataSource) : ILedgerAudit
{
    private readonly PostgresLedger _ledger = new(dataSource);

    /// <inheritdoc />
    public async Task<LedgerHead> HeadAsync(CancellationToken ct = default)
    {
        var status = await _ledger.StatusAsync(ct);
        await using var command = dataSource.CreateCommand("SELECT first_seq, last_seq, head, sealed_at, xml FROM lgsp.checkpoint ORDER BY last_seq DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        CheckpointFigure? last = null;
        if (await reader.ReadAsync(ct))
        {
            // The signer is read from the signed XML (the columns do not name it); whether it is the
            // hub's own certificate is what verify-ledger checks.
            var verdict = Checkpoint.Verify(reader.GetFieldValue<byte[]>(4), SignerCheck.SignatureOnly);
            last = new CheckpointFigure(reader.GetInt64(0), reader.GetInt64(1), LedgerChain.Hex(reader.GetFieldValue<byte[]>(2)),
                reader.GetFieldValue<DateTimeOffset>(3), verdict.Signer?.Subject);
        }

        return new LedgerHead(status.LastSeq, status.SealedThrough, last);
    }

    /// <inheritdoc />
    public async Task<ConsoleActionPage> ConsoleActionsAsync(long? before, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var command = dataSource.CreateCommand("""
            SELECT seq, at, kind, actor, document_id, detail::text FROM lgsp.ledger
            WHERE actor LIKE 'user:%' AND seq < $1 ORDER BY seq DESC LIMIT $2
            """);
        command.Parameters.AddWithValue(before ?? long.MaxValue);
        command.Parameters.AddWithValue(max + 1);
        var actions = new List<ConsoleAction>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            actions.Add(new ConsoleAction(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }

        // One more than asked tells whether a next page exists.
        if (actions.Count <= max)
        {
            return new ConsoleActionPage(actions, null);
        }

        actions.RemoveAt(max);
        return new ConsoleActionPage(actions, actions[^1].Seq);
    }
}
