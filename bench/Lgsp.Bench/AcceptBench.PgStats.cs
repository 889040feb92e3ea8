using System.Globalization;
using System.Text;
using Lgsp.Postgres.Cluster;
using Npgsql;

namespace Lgsp.Bench;

// --pg-stats: where PostgreSQL spends its time per accept and per floor insert. The private cluster is
// restarted once with pg_stat_statements preloaded (planning tracked too), the statistics are reset
// before each run and read after it, with the WAL written (pg_current_wal_lsn before and after), the
// TOAST compression of the stored bodies and the index scans the run made.
internal sealed partial class AcceptBench
{
    private readonly List<string> _pgStats = [];
    private string? _floorColumn;

    /// <summary>The cluster restarted with pg_stat_statements loaded, and the extension created.</summary>
    internal static async Task<PostgresCluster> WithStatementStatsAsync(PostgresCluster cluster, string root)
    {
        await using (var data = NpgsqlDataSource.Create(cluster.ConnectionString))
        {
            await using var command = data.CreateCommand("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            await command.ExecuteNonQueryAsync();
        }

        await cluster.StopAsync(PostgresStopMode.Fast);
        var restarted = await PostgresCluster.StartAsync(
            new PostgresClusterOptions { DataDirectory = Path.Combine(root, "pg"), Durable = true }, line => Say("[pg] " + line));
        // The module's own settings exist only once it is loaded; track_planning takes a reload.
        await using (var data = NpgsqlDataSource.Create(restarted.ConnectionString))
        {
            foreach (var sql in new[] { "CREATE EXTENSION IF NOT EXISTS pg_stat_statements", "ALTER SYSTEM SET pg_stat_statements.track_planning = on", "SELECT pg_reload_conf()" })
            {
                await using var command = data.CreateCommand(sql);
                await command.ExecuteNonQueryAsync();
            }
        }

        Say("pg_stat_statements loaded (track_planning on)");
        return restarted;
    }

    /// <summary>Before a run: statistics reset, the WAL position noted. Null without --pg-stats.</summary>
    private async Task<string?> StartPgStatsAsync()
    {
        if (!_options.PgStats)
        {
            return null;
        }

        await ExecuteAsync("SELECT pg_stat_statements_reset()");
        await ExecuteAsync("SELECT pg_stat_reset()");
        return await ScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
    }

    /// <summary>After a run: the top statements by total execution time, per operation of the run.</summary>
    private async Task EndPgStatsAsync(string? walBefore, string run, int operations, string table)
    {
        if (walBefore is null || operations == 0)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var wal = await ScalarAsync<decimal>($"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{walBefore}')");
        var text = new StringBuilder();
        text.AppendLine(inv, $"#### {run}: {operations} operations, WAL {wal / operations / 1000:0.0} KB per operation");
        text.AppendLine();
        text.AppendLine("| statement | calls per op | exec ms per call | plan ms per call | plans | rows per call | WAL KB per call | exec ms per op |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        await using (var command = _data.CreateCommand("""
            SELECT regexp_replace(left(query, 110), '\s+', ' ', 'g'), calls, total_exec_time, total_plan_time, plans, rows, wal_bytes
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_current_wal_lsn%'
            ORDER BY total_exec_time + total_plan_time DESC LIMIT 15
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var calls = reader.GetInt64(1);
                text.AppendLine(inv, $"| `{reader.GetString(0).Replace("|", "\\|", StringComparison.Ordinal)}` | {(double)calls / operations:0.00} | "
                    + $"{reader.GetDouble(2) / calls:0.000} | {reader.GetDouble(3) / calls:0.000} | {reader.GetInt64(4)} | {(double)reader.GetInt64(5) / calls:0.0} | "
                    + $"{reader.GetDecimal(6) / calls / 1000:0.00} | {reader.GetDouble(2) / operations:0.000} |");
            }
        }

        var sums = await ScalarAsync<string>("""
            SELECT format('%s ms execution, %s ms planning, %s calls', round((sum(total_exec_time))::numeric, 0), round((sum(total_plan_time))::numeric, 0), sum(calls))
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            """);
        text.AppendLine();
        text.AppendLine(inv, $"All statements of the run: {sums}.");
        text.AppendLine();
        text.AppendLine(inv, $"Stored bodies by TOAST compression: {await ScalarAsync<string>($"SELECT coalesce(string_agg(c || ': ' || n || ' rows, ' || s || ' bytes on average', '; '), 'none') FROM (SELECT coalesce(pg_column_compression(body), 'uncompressed') c, count(*) n, round(avg(pg_column_size(body))) s FROM {table} GROUP BY 1) x")}.");
        if (table == "lgsp.package")
        {
            text.AppendLine();
            text.AppendLine(inv, $"Index scans during the run (tables written per accept): {await ScalarAsync<string>("SELECT coalesce(string_agg(relname || '.' || indexrelname || ' ' || idx_scan, ', ' ORDER BY relname, indexrelname), 'none') FROM pg_stat_user_indexes WHERE schemaname IN ('lgsp', 'hangfire') AND relname IN ('package', 'delivery', 'ledger', 'report_package', 'report_recipient', 'report_attachment', 'agency', 'agency_certificate', 'job', 'jobqueue')")}.");
            text.AppendLine();
            text.AppendLine(inv, $"Rows inserted during the run by table: {await ScalarAsync<string>("SELECT coalesce(string_agg(schemaname || '.' || relname || ' ' || n_tup_ins, ', ' ORDER BY schemaname, relname), 'none') FROM pg_stat_user_tables WHERE n_tup_ins > 0")}.");
        }

        text.AppendLine();
        _pgStats.Add(text.ToString());
    }

    /// <summary>The floor's column stores its bytes as lgsp.package.body does (storage and compression):
    /// the same bytes, kept the same way. Returns how.</summary>
    private async Task<string> MirrorBodyStorageAsync()
    {
        var (storage, compression) = (await ScalarAsync<string>("""
            SELECT CASE attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END || ' ' ||
                CASE attcompression WHEN 'l' THEN 'lz4' WHEN 'p' THEN 'pglz' ELSE 'default' END
            FROM pg_attribute WHERE attrelid = 'lgsp.package'::regclass AND attname = 'body'
            """)).Split(' ') switch { [var a, var b] => (a, b), _ => ("EXTENDED", "default") };
        await ExecuteAsync($"ALTER TABLE bench_floor ALTER COLUMN body SET STORAGE {storage}");
        if (compression != "default")
        {
            await ExecuteAsync($"ALTER TABLE bench_floor ALTER COLUMN body SET COMPRESSION {compression}");
        }

        return $"STORAGE {storage}, COMPRESSION {(compression == "default" ? "default (" + await ScalarAsync<string>("SELECT current_setting('default_toast_compression')") + ")" : compression)}, as lgsp.package.body";
    }

    private void WritePgStats()
    {
        if (_pgStats.Count == 0)
        {
            return;
        }

        Line("### PostgreSQL per operation (pg_stat_statements, top 15 by execution + planning time)");
        Line();
        foreach (var section in _pgStats)
        {
            _report.Append(section);
        }
    }
}
