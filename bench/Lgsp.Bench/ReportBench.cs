using System.Diagnostics;
using System.Globalization;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Export;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Postgres.Storage;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>The report read path on a generated store: DOCS documents over YEARS years between
/// AGENCIES agencies (three recipients each, with their report facts), the daily rollups counted
/// from them by the production code, then a one-year whole-province report by agency and the XLSX of
/// every breakdown, timed. The store is kept (LGSP_BENCH_REPORT_STORE, default a directory under the
/// system's temporary directory) and reused by the next run with the same shape.</summary>
internal static partial class ReportBench
{
    private const int Rounds = 5;

    /// <summary>What the generated store holds.</summary>
    private sealed record Shape(long Documents, int Agencies, DateOnly First, DateOnly Last)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Documents} documents, {Agencies} agencies, {First:yyyy-MM-dd} to {Last:yyyy-MM-dd}");
    }

    public static async Task RunAsync(long documents, int agencies, int years)
    {
        if (agencies < 4 || years < 1 || documents < 1)
        {
            throw new ArgumentException("report [DOCS ≥ 1] [AGENCIES ≥ 4] [YEARS ≥ 1]");
        }

        var last = new DateOnly(2026, 12, 31);
        var shape = new Shape(documents, agencies, last.AddYears(-years).AddDays(1), last);
        var root = Environment.GetEnvironmentVariable("LGSP_BENCH_REPORT_STORE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "lgsp-bench-report-store");
        var marker = Path.Combine(root, "seeded.txt");
        if (File.Exists(marker) && await File.ReadAllTextAsync(marker) != shape.ToString())
        {
            throw new InvalidOperationException($"{root} holds another store ({await File.ReadAllTextAsync(marker)}); delete it or set LGSP_BENCH_REPORT_STORE.");
        }

        var reuse = File.Exists(marker);
        if (!reuse)
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            Directory.CreateDirectory(root);
            if (OperatingSystem.IsLinux() && Environment.UserName == "root")
            {
                // The cluster runs as the postgres account, which must reach pg/ inside.
                File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
            }
        }

        await using var cluster = await AcceptBench.StartClusterAsync(root);
        await using var data = NpgsqlDataSource.Create(cluster.ConnectionString);
        var watch = Stopwatch.StartNew();
        if (reuse)
        {
            AcceptBench.Say($"Reusing the store in {root}: {shape}");
        }
        else
        {
            AcceptBench.Say($"Seeding {shape} in {root}");
            await SeedAsync(data, shape);
            await File.WriteAllTextAsync(marker, shape.ToString());
            AcceptBench.Say($"Seeded in {watch.Elapsed.TotalSeconds:F0} s");
        }

        await MeasureAsync(data, shape);
    }

    private static async Task MeasureAsync(NpgsqlDataSource data, Shape shape)
    {
        long Scalar(string sql)
        {
            using var command = data.CreateCommand(sql);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        var reports = new ReportService(new PostgresReportStore(data), new PostgresCalendarStore(data, TimeProvider.System),
            new PostgresDirectoryStore(data, TimeProvider.System), TimeProvider.System);
        var year = new ReportRequest(new DateOnly(shape.Last.Year, 1, 1), shape.Last);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"## Reports benchmark, {DateTime.Now:yyyy-MM-dd}"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Store: {Scalar("SELECT count(*) FROM lgsp.report_package")} documents, {Scalar("SELECT count(*) FROM lgsp.delivery")} deliveries, " +
            $"{Scalar("SELECT count(*) FROM lgsp.report_attachment")} PDF attachments, {Scalar("SELECT count(*) FROM lgsp.agency")} agencies, " +
            $"{Scalar("SELECT count(*) FROM lgsp.report_rollup")} daily rollup rows ({shape.First:yyyy-MM-dd} to {shape.Last:yyyy-MM-dd}); " +
            $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}."));
        Console.WriteLine();
        Console.WriteLine("| round | one-year report by agency | XLSX of every breakdown | rows | sent | workbook |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var watch = new Stopwatch();
        for (var round = 1; round <= Rounds; round++)
        {
            watch.Restart();
            var report = await reports.ReportAsync(year);
            var reading = watch.Elapsed;
            watch.Restart();
            var xlsx = ReportXlsx.ToBytes(await reports.BreakdownsAsync(year));
            var exporting = watch.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {reading.TotalMilliseconds:F0} ms | {exporting.TotalMilliseconds:F0} ms | {report.Rows.Count} | {report.Total[Figure.Sent]} | {xlsx.Length / 1024} KiB |"));
        }

        Console.WriteLine();
        Console.WriteLine($"Load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
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
