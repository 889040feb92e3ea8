using System.Diagnostics;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Export;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Postgres.Storage;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>The report read path: a year of daily rollups for N agencies (what 5 M documents over
/// three years leave behind: one row per agency and day, whatever the number of documents), then
/// a one-year whole-hub report by agency and the XLSX of every breakdown, timed. The rollups are
/// generated directly; the accept-side cost of the facts is not measured here.</summary>
internal static class ReportBench
{
    public static async Task RunAsync(int agencies, int days)
    {
        var root = AcceptBench.NewRoot("lgsp-bench-report-");
        await using var cluster = await AcceptBench.StartClusterAsync(root);
        await using var data = NpgsqlDataSource.Create(cluster.ConnectionString);
        var first = new DateOnly(2026, 1, 1);
        var watch = Stopwatch.StartNew();
        await ExecuteAsync(data, """
            INSERT INTO lgsp.agency (code, name, parent_code, tier, active)
            SELECT format('000.%s.%s.H56', lpad((g / 100)::text, 2, '0'), lpad((g % 100)::text, 2, '0')), 'Cơ quan ' || g, NULL, 'department', true
            FROM generate_series(1, $1) g
            """, agencies);
        await ExecuteAsync(data, """
            INSERT INTO lgsp.report_rollup (day, agency, tier, counts, failures)
            SELECT $1::date + d, a.code, 'department',
                   array(SELECT (random() * 40)::bigint FROM generate_series(1, $3) WHERE d >= 0 AND a.code IS NOT NULL),
                   '{"http-503": 1}'::jsonb
            FROM generate_series(0, $2 - 1) d, lgsp.agency a
            """, first, days, Figures.All.Count);
        await ExecuteAsync(data, "INSERT INTO lgsp.report_rollup_state (id, watermark, refreshed_at, figures) VALUES (true, 0, now(), $1)",
            (object)ReportService.BuiltWith(new ReportOptions()).ToArray());

        Console.WriteLine($"seeded {agencies} agencies × {days} days of rollups in {watch.Elapsed.TotalSeconds:F1} s");
        var reports = new ReportService(new PostgresReportStore(data), new PostgresCalendarStore(data, TimeProvider.System),
            new PostgresDirectoryStore(data, TimeProvider.System), TimeProvider.System);
        var request = new ReportRequest(first, first.AddDays(days - 1));
        for (var round = 1; round <= 3; round++)
        {
            watch.Restart();
            var rollups = await new PostgresReportStore(data).ReadRollupsAsync(request.From, request.To);
            Console.WriteLine($"round {round}: reading {rollups.Count} rollup rows {watch.Elapsed.TotalMilliseconds:F0} ms");
            watch.Restart();
            var report = await reports.ReportAsync(request);
            var reading = watch.Elapsed;
            watch.Restart();
            var xlsx = ReportXlsx.ToBytes(await reports.BreakdownsAsync(request));
            var exporting = watch.Elapsed;
            Console.WriteLine($"round {round}: report by agency {reading.TotalMilliseconds:F0} ms ({report.Rows.Count} rows, sent {report.Total[Figure.Sent]}); " +
                $"XLSX of every breakdown {exporting.TotalMilliseconds:F0} ms ({xlsx.Length / 1024} KiB)");
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource data, string sql, params object[] parameters)
    {
        await using var command = data.CreateCommand(sql);
        command.CommandTimeout = 0;
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }
}
