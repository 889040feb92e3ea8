using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Reports.Calendar;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="ICalendarStore"/> on PostgreSQL (<c>lgsp.calendar_day</c>).</summary>
/// <remarks>Thread safe: every call takes its own connection from the data source.</remarks>
public sealed class PostgresCalendarStore(NpgsqlDataSource dataSource, TimeProvider clock) : ICalendarStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<CalendarDay>> ListChangesAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT day, kind, reason FROM lgsp.calendar_day ORDER BY day");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var days = new List<CalendarDay>();
        while (await reader.ReadAsync(ct))
        {
            days.Add(new CalendarDay(reader.GetFieldValue<DateOnly>(0), BundledHolidays.ParseKind(reader.GetString(1))!.Value, reader.GetString(2), DaySource.Operator));
        }

        return days;
    }

    /// <inheritdoc />
    public async Task SetDayAsync(CalendarDay day, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(day);
        var at = Timestamps.Truncate(clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO lgsp.calendar_day (day, kind, reason, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, changed_at = excluded.changed_at, changed_by = excluded.changed_by
            """, connection, tx))
        {
            upsert.Parameters.AddWithValue(day.Day);
            upsert.Parameters.AddWithValue(BundledHolidays.Word(day.Kind));
            upsert.Parameters.AddWithValue(day.Reason);
            upsert.Parameters.AddWithValue(at);
            upsert.Parameters.AddWithValue(actor);
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await LedgerWriter.AppendAsync(tx, DirectoryEntries.CalendarDaySet(day.Day, day.Kind, day.Reason, actor, at), ct: ct);
        await tx.CommitAsync(ct);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveDayAsync(DateOnly day, string actor, CancellationToken ct = default)
    {
        var at = Timestamps.Truncate(clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var delete = new NpgsqlCommand("DELETE FROM lgsp.calendar_day WHERE day = $1", connection, tx))
        {
            delete.Parameters.AddWithValue(day);
            if (await delete.ExecuteNonQueryAsync(ct) == 0)
            {
                return false;
            }
        }

        await LedgerWriter.AppendAsync(tx, DirectoryEntries.CalendarDayRemoved(day, actor, at), ct: ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
