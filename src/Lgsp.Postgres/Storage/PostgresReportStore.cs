using System.Text.Json;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IReportStore"/> on PostgreSQL: the facts tables of migration 0014 and the
/// rollups built from them.</summary>
/// <remarks>Thread safe: every call takes its own connection from the data source.</remarks>
// This file keeps the rollups and their state; reading the raw facts is PostgresReportStore.Facts.cs.
public sealed partial class PostgresReportStore(NpgsqlDataSource dataSource) : IReportStore
{
    /// <inheritdoc />
    public async Task<RollupState> ReadStateAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT watermark, refreshed_at, figures FROM lgsp.report_rollup_state");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new RollupState(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<string[]>(2))
            : new RollupState(0, null, []);
    }

    /// <inheritdoc />
    public async Task<long> SealedSeqAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(last_seq), 0) FROM lgsp.checkpoint");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <inheritdoc />
    public async Task<RollupChanges> ChangesAsync(long afterSeq, long upToSeq, CancellationToken ct = default)
    {
        // The documents an entry is about: its package when that is a document; the document a status
        // package is about (same DocumentId, sent by or to the status's sender); a delivery's package.
        await using var command = dataSource.CreateCommand("""
            WITH e AS (
                SELECT package_id, delivery_id, kind, detail ->> 'change' AS change FROM lgsp.ledger WHERE seq > $1 AND seq <= $2
            ), p AS (
                SELECT package_id AS id FROM e WHERE package_id IS NOT NULL
                UNION SELECT d.package_id FROM e JOIN lgsp.delivery d ON d.id = e.delivery_id
            )
            SELECT coalesce((SELECT bool_or(kind = 'directory.changed' AND change LIKE 'calendar.%') FROM e), false),
                   array(SELECT DISTINCT rp.received_day FROM (
                       SELECT rp.package_id FROM p JOIN lgsp.report_package rp ON rp.package_id = p.id AND rp.kind = 'document'
                       UNION
                       SELECT doc.package_id FROM p JOIN lgsp.package s ON s.id = p.id AND s.kind = 'status'
                       JOIN lgsp.report_package doc ON doc.kind = 'document' AND doc.document_id = s.document_id
                            AND doc.from_agency IN (s.from_agency, s.status_target)
                   ) touched JOIN lgsp.report_package rp USING (package_id))
            """);
        command.Parameters.AddWithValue(afterSeq);
        command.Parameters.AddWithValue(upToSeq);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new RollupChanges(reader.GetFieldValue<DateOnly[]>(1).ToHashSet(), reader.GetBoolean(0));
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<DateOnly>> DaysWithDocumentsAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT received_day FROM lgsp.report_package WHERE kind = 'document' AND received_day BETWEEN $1 AND $2");
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var days = new HashSet<DateOnly>();
        while (await reader.ReadAsync(ct))
        {
            days.Add(reader.GetFieldValue<DateOnly>(0));
        }

        return days;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DailyRollup>> ReadRollupsAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT day, agency, tier, counts, failures::text FROM lgsp.report_rollup WHERE day BETWEEN $1 AND $2 ORDER BY day, agency");
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<DailyRollup>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new DailyRollup(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                new FigureCounts(Padded(reader.GetFieldValue<long[]>(3))),
                JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(4))!));
        }

        return rows;
    }

    // Rollups counted with a shorter figure list (before the refresh rebuilds them) lack the figures added
    // since: those read as 0, so that verify names them instead of failing.
    private static long[] Padded(long[] counts) => counts.Length >= Figures.All.Count ? counts[..Figures.All.Count] : [.. counts, .. new long[Figures.All.Count - counts.Length]];

    /// <inheritdoc />
    public async Task<bool> WriteRollupsAsync(IReadOnlyCollection<DateOnly> days, IReadOnlyList<DailyRollup> rows, long watermark, DateTimeOffset refreshedAt,
        bool rebuild, IReadOnlyList<string> builtWith, RollupState readState, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(readState);
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(rows);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        // One refresh at a time: two instances' jobs, or the job and a command, would otherwise
        // interleave deletes and inserts of the same days.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, tx))
        {
            lockCommand.Parameters.AddWithValue(Locks.AdvisoryLockKeys.ReportRollup);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        await using (var current = new NpgsqlCommand("SELECT refreshed_at FROM lgsp.report_rollup_state", connection, tx))
        await using (var reader = await current.ExecuteReaderAsync(ct))
        {
            var stored = await reader.ReadAsync(ct) ? reader.GetFieldValue<DateTimeOffset>(0) : (DateTimeOffset?)null;
            if (stored != readState.RefreshedAt)
            {
                return false;
            }
        }

        await using (var delete = new NpgsqlCommand(
            rebuild ? "DELETE FROM lgsp.report_rollup" : "DELETE FROM lgsp.report_rollup WHERE day = ANY($1)", connection, tx))
        {
            if (!rebuild)
            {
                delete.Parameters.AddWithValue(days.ToArray());
            }

            await delete.ExecuteNonQueryAsync(ct);
        }

        await using (var import = await connection.BeginBinaryImportAsync("COPY lgsp.report_rollup (day, agency, tier, counts, failures) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var row in rows)
            {
                await import.StartRowAsync(ct);
                await import.WriteAsync(row.Day, NpgsqlDbType.Date, ct);
                await import.WriteAsync(row.Agency, NpgsqlDbType.Text, ct);
                if (row.Tier is null)
                {
                    await import.WriteNullAsync(ct);
                }
                else
                {
                    await import.WriteAsync(row.Tier, NpgsqlDbType.Text, ct);
                }

                await import.WriteAsync(row.Counts.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct);
                await import.WriteAsync(JsonSerializer.Serialize(row.Failures), NpgsqlDbType.Jsonb, ct);
            }

            await import.CompleteAsync(ct);
        }

        await using (var state = new NpgsqlCommand("""
            INSERT INTO lgsp.report_rollup_state (id, watermark, refreshed_at, figures) VALUES (true, $1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET watermark = excluded.watermark, refreshed_at = excluded.refreshed_at, figures = excluded.figures
            """, connection, tx))
        {
            state.Parameters.AddWithValue(watermark);
            state.Parameters.AddWithValue(refreshedAt);
            state.Parameters.AddWithValue(builtWith.ToArray());
            await state.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return true;
    }
}
