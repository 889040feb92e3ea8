using System.Globalization;
using Lgsp.Exchange.Reports.Rollups;
using Npgsql;

namespace Lgsp.Postgres.Storage;

// Summing the daily rollups in the database for a report: a year of 300 agencies is 109 500 rows,
// which cost over a second to decode and add up in the process; summed per figure here they come
// back as one row per agency (and per day when asked), in tens of milliseconds.
public sealed partial class PostgresReportStore
{
    // ARRAY[sum(counts[1]), …] over the figure list; a figure the stored arrays lack (rollups built with
    // a shorter list, before the refresh rebuilds them) sums to 0.
    private static readonly string SummedCounts = "ARRAY[" + string.Join(", ", Enumerable.Range(1, Figures.All.Count)
        .Select(i => string.Create(CultureInfo.InvariantCulture, $"coalesce(sum(counts[{i}]), 0)"))) + "]::bigint[]";

    /// <inheritdoc />
    public async Task<RollupSums> SumRollupsAsync(DateOnly from, DateOnly to, IReadOnlyCollection<string> agencies, bool byDay, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(agencies);
        var members = agencies.ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        // One snapshot for the sums, so that a refresh committing in between cannot make them disagree.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        const string Where = "WHERE day BETWEEN $1 AND $2 AND agency = ANY($3)";
        var byAgency = await ReadSumsAsync(connection, tx, $"SELECT agency, tier, {SummedCounts} FROM lgsp.report_rollup {Where} GROUP BY agency, tier ORDER BY agency, tier",
            from, to, members, r => new AgencySum(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), new FigureCounts(r.GetFieldValue<long[]>(2))), ct);
        var days = byDay
            ? await ReadSumsAsync(connection, tx, $"SELECT day, {SummedCounts} FROM lgsp.report_rollup {Where} GROUP BY day ORDER BY day",
                from, to, members, r => new DaySum(r.GetFieldValue<DateOnly>(0), new FigureCounts(r.GetFieldValue<long[]>(1))), ct)
            : [];
        var failures = await ReadSumsAsync(connection, tx,
            $"SELECT f.key, sum(f.value::bigint)::bigint FROM lgsp.report_rollup, jsonb_each_text(failures) f {Where} GROUP BY f.key ORDER BY f.key",
            from, to, members, r => (Code: r.GetString(0), Count: r.GetInt64(1)), ct);
        await tx.CommitAsync(ct);
        return new RollupSums(byAgency, days, failures.ToDictionary(f => f.Code, f => f.Count, StringComparer.Ordinal));
    }

    private static async Task<List<T>> ReadSumsAsync<T>(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, DateOnly from, DateOnly to, string[] members,
        Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        command.Parameters.AddWithValue(members);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
