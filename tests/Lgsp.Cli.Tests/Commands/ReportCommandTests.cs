using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lgsp.Cli.Tests.Hub;
using Lgsp.Edxml.Model;
using Lgsp.TestSupport.Postgres;
using Lgsp.TestSupport.Reports;
using MiniExcelLibs;
using static Lgsp.TestSupport.Reports.ReportProvince;

namespace Lgsp.Cli.Tests.Commands;

/// <summary><c>lgsp report</c> and <c>lgsp report verify</c> against a real database holding two
/// documents; the XLSX is opened and checked cell by cell against figures worked out by hand.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReportCommandTests(PostgresFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lgsp-cli-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // D1: Finance → Construction and the commune, Friday 14/3/2025 19:00, sealed envelope, one sealed PDF; Construction fetches
    // on Monday morning, the commune answers 01 on Monday. D2: Finance → Construction, Monday 13:00 (late), priority 2, also on
    // paper, a personally signed and an unsigned PDF; never fetched. Construction registers D1 (03) on Monday 14:00.
    private static async Task ExchangeAsync(ReportProvince p)
    {
        var (d1, id1) = await p.SendAsync(Finance, [Construction, Commune], new DateOnly(2025, 3, 14), Local(2025, 3, 14, 19), signEnvelope: true,
            pdfs: [TestPdfKind.Organization]);
        await p.FetchAsync(d1, Construction, Local(2025, 3, 17, 9));
        await p.StatusAsync(Commune, Finance, id1, StatusCode.Arrived, Local(2025, 3, 17, 10));
        await p.StatusAsync(Construction, Finance, id1, StatusCode.Accepted, Local(2025, 3, 17, 14));
        await p.SendAsync(Finance, [Construction], new DateOnly(2025, 3, 14), Local(2025, 3, 17, 13), priority: 2, paper: true,
            pdfs: [TestPdfKind.Personal, TestPdfKind.Unsigned]);
        await p.SealAsync();
    }

    // The by-agency rows, by hand: every figure not named is 0.
    private static readonly Dictionary<string, Dictionary<string, long>> ByAgency = new()
    {
        [Finance] = new()
        {
            ["Văn bản gửi"] = 2, ["Gửi nội bộ"] = 2, ["Gửi chỉ bản điện tử"] = 1, ["Gửi kèm bản giấy"] = 1, ["Gói tin ký số cơ quan"] = 1,
            ["Gói tin không ký số"] = 1, ["Tệp PDF đính kèm"] = 3, ["PDF có chữ ký số cơ quan"] = 1, ["PDF có chữ ký số cá nhân"] = 1,
            ["PDF không ký số"] = 1, ["Văn bản có PDF"] = 2, ["Văn bản có PDF ký số cơ quan"] = 1, ["Văn bản có PDF ký số cá nhân"] = 1,
            ["Văn bản có PDF không ký số"] = 1, ["Văn bản có ngày ban hành"] = 2, ["Gửi muộn"] = 1, ["Văn bản khẩn"] = 1,
            ["Văn bản khẩn gửi muộn"] = 1,
        },
        [Construction] = new()
        {
            ["Văn bản nhận"] = 2, ["Nhận nội bộ"] = 2, ["Nhận chỉ bản điện tử"] = 1, ["Nhận kèm bản giấy"] = 1,
            ["Xác nhận trong ngày làm việc"] = 1, ["Đến hạn nhận"] = 2, ["Nhận điện tử đúng hạn"] = 1, ["Không nhận điện tử"] = 1,

            // D1 fetched Friday 19:00 → Monday 09:00: 62 h, 14 of them on working days; registered (03) Monday 14:00: 67 h, 19 working.
            ["Đã lấy hoặc xác nhận"] = 1, ["Tổng thời gian đến khi lấy (giây)"] = 62 * 3600, ["Tổng thời gian làm việc đến khi lấy (giây)"] = 14 * 3600,
            ["Đã tiếp nhận (03)"] = 1, ["Tổng thời gian đến 03 (giây)"] = 67 * 3600, ["Tổng thời gian làm việc đến 03 (giây)"] = 19 * 3600,
        },
        [Commune] = new()
        {
            ["Văn bản nhận"] = 1, ["Nhận nội bộ"] = 1, ["Nhận chỉ bản điện tử"] = 1, ["Xác nhận trong ngày làm việc"] = 1,
            ["Đến hạn nhận"] = 1, ["Nhận điện tử đúng hạn"] = 1,

            // 01 Monday 10:00: 63 h, 15 working.
            ["Đã đến (01)"] = 1, ["Tổng thời gian đến 01 (giây)"] = 63 * 3600, ["Tổng thời gian làm việc đến 01 (giây)"] = 15 * 3600,
        },
    };

    // The means in hours the rows show beside the sums (every other mean is empty).
    private static readonly Dictionary<string, Dictionary<string, double>> Means = new()
    {
        [Finance] = [],
        [Construction] = new()
        {
            ["TB giờ đến khi lấy hoặc xác nhận"] = 62, ["TB giờ làm việc đến khi lấy hoặc xác nhận"] = 14,
            ["TB giờ đến 03 (tiếp nhận)"] = 67, ["TB giờ làm việc đến 03 (tiếp nhận)"] = 19,
        },
        [Commune] = new() { ["TB giờ đến 01 (đã đến)"] = 63, ["TB giờ làm việc đến 01 (đã đến)"] = 15 },
        ["Tổng cộng"] = new()
        {
            ["TB giờ đến khi lấy hoặc xác nhận"] = 62, ["TB giờ làm việc đến khi lấy hoặc xác nhận"] = 14,
            ["TB giờ đến 03 (tiếp nhận)"] = 67, ["TB giờ làm việc đến 03 (tiếp nhận)"] = 19,
            ["TB giờ đến 01 (đã đến)"] = 63, ["TB giờ làm việc đến 01 (đã đến)"] = 15,
        },
    };

    [Fact]
    public async Task The_workbook_has_Vietnamese_headings_a_sheet_per_breakdown_and_every_cell_as_counted_by_hand()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await using var province = await CreateAsync(db.ConnectionString);
        await ExchangeAsync(province);
        var path = Path.Combine(_dir, "bao-cao.xlsx");

        db.Ok("report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "xlsx", "--out", path);

        Assert.Equal(["Tổng hợp", "Biểu đồ", "Theo đơn vị", "Theo cấp", "Theo ngày", "Theo tháng", "Xếp hạng", "Không nhận điện tử", "Chuyển phát lỗi"],
            MiniExcel.GetSheetNames(path));
        var sheet = MiniExcel.Query(path, useHeaderRow: false, sheetName: "Theo đơn vị").Cast<IDictionary<string, object?>>().Select(r => r.Values.ToList()).ToList();
        var headings = sheet[0].Select(c => (string)c!).ToList();
        Assert.Equal(["Mã định danh", "Tên đơn vị"], headings.Take(2));
        // Every figure (39 counts, then 14 of the times), then a mean in hours and in working hours for each of the five times.
        Assert.Equal(53 + 10, headings.Count - 2);
        var firstMean = 2 + 53;
        var expectedKeys = new[] { Finance, Construction, Commune }.Order(StringComparer.Ordinal).Append("Tổng cộng").ToList();
        Assert.Equal(expectedKeys, sheet.Skip(1).Select(r => (string)r[0]!));
        foreach (var row in sheet.Skip(1))
        {
            var key = (string)row[0]!;
            for (var column = firstMean; column < headings.Count; column++)
            {
                var mean = Means[key].TryGetValue(headings[column], out var hours) ? hours : (double?)null;
                Assert.True(mean == (row[column] is null ? null : Convert.ToDouble(row[column], System.Globalization.CultureInfo.InvariantCulture)),
                    $"{key} / {headings[column]}: expected {mean}, the sheet has {row[column]}");
            }

            for (var column = 2; column < firstMean; column++)
            {
                var heading = headings[column];
                var expected = key == "Tổng cộng"
                    ? ByAgency.Values.Sum(figures => figures.GetValueOrDefault(heading))
                    : ByAgency[key].GetValueOrDefault(heading);
                Assert.True(expected == Convert.ToInt64(row[column], System.Globalization.CultureInfo.InvariantCulture),
                    $"{key} / {heading}: expected {expected}, the sheet has {row[column]}");
            }
        }

        Assert.Equal(["Sở Tài chính", "Sở Xây dựng", "UBND xã Đông Tiến"], sheet.Skip(1).Take(3).Select(r => (string)r[1]!));
        var ranking = MiniExcel.Query(path, useHeaderRow: false, sheetName: "Xếp hạng").Cast<IDictionary<string, object?>>().Select(r => r.Values.ToList()).ToList();
        Assert.Equal(["Hạng", "Mã định danh", "Tên đơn vị", "Đến hạn nhận", "Nhận điện tử đúng hạn", "Tỷ lệ nhận đúng hạn"], ranking[0].Select(c => (string)c!));
        Assert.Equal([(Construction, 2L, 1L, 0.5), (Commune, 1L, 1L, 1.0)],
            ranking.Skip(1).Select(r => ((string)r[1]!, Convert.ToInt64(r[3]), Convert.ToInt64(r[4]), Convert.ToDouble(r[5]))));
    }

    [Fact]
    public async Task The_CSV_is_UTF8_with_a_byte_order_mark_and_a_total_row()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await using var province = await CreateAsync(db.ConnectionString);
        await ExchangeAsync(province);
        var path = Path.Combine(_dir, "bao-cao.csv");

        db.Ok("report", "--from", "2025-03-01", "--to", "2025-03-31", "--by", "tier", "--format", "csv", "--out", path);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Cấp,Tên đơn vị,Văn bản gửi,Gửi nội bộ,", lines[0]);
        Assert.Equal(["commune", "department", "Tổng cộng"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.StartsWith("department,,2,2,0,1,1,", lines[2]);
    }

    [Fact]
    public async Task The_JSON_names_every_figure_and_the_unit_rolls_up_its_subtree()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await using var province = await CreateAsync(db.ConnectionString);
        await ExchangeAsync(province);

        using var json = JsonDocument.Parse(db.Ok("report", "--from", "2025-03-01", "--to", "2025-03-31", "--unit", Construction, "--format", "json"));

        var root = json.RootElement;
        Assert.Equal(("Sở Xây dựng", Construction), (root.GetProperty("unitName").GetString(), root.GetProperty("unit").GetString()));
        var total = root.GetProperty("total");
        Assert.Equal(53, total.EnumerateObject().Count());
        var times = root.GetProperty("times");
        Assert.Equal((1L, 62.0, 14.0), (times.GetProperty("pickedUp").GetProperty("count").GetInt64(),
            times.GetProperty("pickedUp").GetProperty("meanHours").GetDouble(), times.GetProperty("pickedUp").GetProperty("meanWorkingHours").GetDouble()));
        Assert.Equal((63.0, 67.0), (times.GetProperty("arrived").GetProperty("meanHours").GetDouble(), times.GetProperty("accepted").GetProperty("meanHours").GetDouble()));
        Assert.Equal(JsonValueKind.Null, times.GetProperty("finished").GetProperty("meanHours").ValueKind);
        var table = db.Ok("report", "--from", "2025-03-01", "--to", "2025-03-31", "--unit", Construction);
        Assert.Matches(@"accepted\W+1\W+67\.00\W+19\.00", table);
        Assert.Matches(@"finished\W+0\W+-\W+-", table);
        Assert.Equal((3L, 1L, 2L), (total.GetProperty("received").GetInt64(), total.GetProperty("notReceived").GetInt64(), total.GetProperty("receivedOnTime").GetInt64()));
        Assert.Equal(0L, total.GetProperty("sent").GetInt64());
        Assert.Equal([Construction, Commune], root.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Verify_reports_a_match_names_a_rollup_changed_behind_its_back_and_rebuild_mends_it()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await using var province = await CreateAsync(db.ConnectionString);
        await ExchangeAsync(province);
        db.Ok("report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "json");

        var clean = db.Ok("report", "verify", "--from", "2025-03-01", "--to", "2025-03-31");
        await db.ScalarAsync("UPDATE lgsp.report_rollup SET counts[26] = counts[26] + 5 WHERE agency = $1 AND day = '2025-03-17'", Construction);
        var (exit, output, _) = db.Run("report", "verify", "--from", "2025-03-01", "--to", "2025-03-31");

        Assert.Contains("match the raw rows", clean);
        Assert.Equal(LgspCommand.Failed, exit);
        Assert.Contains($"2025-03-17 {Construction} received: rollup 6, recount 1", output);
        Assert.Contains("1 difference", output);
        Assert.Equal("recounted the rollups of 2 days", db.Ok("report", "rebuild").Trim());
        Assert.Contains("match the raw rows", db.Ok("report", "verify", "--from", "2025-03-01", "--to", "2025-03-31"));
    }

    [Fact]
    public async Task A_run_with_redirected_output_writes_only_the_CSV_and_no_progress()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await using var province = await CreateAsync(db.ConnectionString);
        await ExchangeAsync(province);
        string[] args = ["report", "--from", "2024-01-01", "--to", "2025-12-31", "--format", "csv", "--database", db.ConnectionString, "--secret-key", db.SecretKeyPath];

        // The real command as a process, both streams redirected (a pipe, as a script or a log sees it); its
        // first refresh counts every day with documents, where a terminal would show the progress bar.
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // The command's own build (its dependencies beside it), in the tests' configuration.
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        start.ArgumentList.Add(CliRunner.Repo("src", "Lgsp.Cli", "bin", configuration, "net10.0", "lgsp.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var inProcess = CliRunner.Run(args);

        Assert.Equal((0, ""), (process.ExitCode, await error));
        Assert.Equal((0, ""), (inProcess.Exit, inProcess.Error));
        Assert.Equal(inProcess.Output, await output);
        Assert.StartsWith("Mã định danh,Tên đơn vị,Văn bản gửi,", await output);
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_is_refused()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var (exit, _, error) = db.Run("report", "--from", "2025-03-31", "--to", "2025-03-01");

        Assert.Equal(LgspCommand.Usage, exit);
        Assert.Contains("--to is before --from", error);
    }
}
