using System.CommandLine;
using System.Globalization;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Export;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Postgres.Hosting;
using Spectre.Console;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp report</c>: the province's exchange figures for a period and a unit, from the
/// daily rollups (docs/reports.md); <c>lgsp report verify</c> recounts the rollups from the raw rows.</summary>
internal static class ReportCommand
{
    private static readonly string[] Formats = ["table", "csv", "xlsx", "json"];

    public static Command Create()
    {
        var hub = new HubCommandOptions();
        var from = new Option<string?>("--from") { Description = "The first day, YYYY-MM-DD (local, Asia/Ho_Chi_Minh).", HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "The last day, YYYY-MM-DD (inclusive).", HelpName = "DATE" };
        var unit = new Option<string?>("--unit") { Description = "An agency code: it and everything below it. Default: every agency this hub's subtree serves.", HelpName = "CODE" };
        var by = new Option<string>("--by") { Description = "Rows per agency, tier, day or month.", DefaultValueFactory = _ => "agency", HelpName = "agency|tier|day|month" };
        var format = new Option<string>("--format") { Description = "table, csv (UTF-8 with BOM), xlsx or json.", DefaultValueFactory = _ => "table", HelpName = "FORMAT" };
        var output = CommonOptions.Out("the report");
        var command = new Command("report", "The exchange figures for a period and a unit: sent and received, signatures, late sends, answers, not received, failures; and the ranking.")
        {
            from, to, unit, by, format, output, Verify(hub), Rebuild(hub),
        };
        hub.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            if (Period(parse, parse.GetValue(from), parse.GetValue(to)) is not { } period)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            if (!Enum.TryParse<ReportBreakdown>(parse.GetValue(by), ignoreCase: true, out var breakdown) || !Enum.IsDefined(breakdown))
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"--by: '{parse.GetValue(by)}' is not agency, tier, day or month"));
            }

            var chosen = parse.GetValue(format)!.Trim().ToLowerInvariant();
            if (!Formats.Contains(chosen))
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"--format: '{chosen}' is not table, csv, xlsx or json"));
            }

            var code = parse.GetValue(unit) is { } given ? hub.Code(parse, given, "--unit") : null;
            if (parse.GetValue(unit) is not null && code is null)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            var file = parse.GetValue(output);
            if (chosen == "xlsx" && file is null)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "--format xlsx needs --out FILE"));
            }

            return hub.RunAsync(parse, async database =>
            {
                var reports = await ServiceAsync(database, ct);
                await WithProgressAsync(parse, "counting the daily rollups", progress => reports.RefreshAsync(rebuildAll: false, progress, ct));
                var request = new ReportRequest(period.From, period.To, code, breakdown);
                switch (chosen)
                {
                    case "xlsx":
                        CommonOptions.WriteResult(ReportXlsx.ToBytes(await reports.BreakdownsAsync(request, ct)), file);
                        break;
                    case "csv":
                        Write(parse, ReportCsv.ToBytes(await reports.ReportAsync(request, ct)), file);
                        break;
                    case "json":
                        Write(parse, System.Text.Encoding.UTF8.GetBytes(ReportJson.Serialize(await reports.ReportAsync(request, ct)) + "\n"), file);
                        break;
                    default:
                        WriteTable(parse, await reports.ReportAsync(request, ct));
                        break;
                }

                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command Verify(HubCommandOptions hub)
    {
        var from = new Option<string?>("--from") { Description = "The first day (default: 2000-01-01).", HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "The last day (default: today).", HelpName = "DATE" };
        var command = new Command("verify", "Recount the daily rollups from the raw rows and name every difference (exit 1 when there is one).") { from, to };
        command.SetAction((parse, ct) =>
        {
            if (Period(parse, parse.GetValue(from) ?? "2000-01-01", parse.GetValue(to) ?? DateTime.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) is not { } period)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            return hub.RunAsync(parse, async database =>
            {
                var reports = await ServiceAsync(database, ct);
                var differences = await reports.VerifyAsync(period.From, period.To, ct);
                var outputWriter = parse.InvocationConfiguration.Output;
                foreach (var d in differences)
                {
                    outputWriter.WriteLine($"{d.Day:yyyy-MM-dd} {d.Agency} {d.Figure}: rollup {d.Stored}, recount {d.Counted}");
                }

                outputWriter.WriteLine(differences.Count == 0
                    ? $"rollups from {period.From:yyyy-MM-dd} to {period.To:yyyy-MM-dd} match the raw rows"
                    : $"{differences.Count} {(differences.Count == 1 ? "difference" : "differences")}");
                return differences.Count == 0 ? LgspCommand.Ok : LgspCommand.Failed;
            }, ct);
        });
        return command;
    }

    private static Command Rebuild(HubCommandOptions hub)
    {
        var command = new Command("rebuild", "Recount every day's rollups from the raw rows (after verify found a difference).");
        command.SetAction((parse, ct) => hub.RunAsync(parse, async database =>
        {
            var reports = await ServiceAsync(database, ct);
            var days = await WithProgressAsync(parse, "recounting the daily rollups", progress => reports.RefreshAsync(rebuildAll: true, progress, ct));
            parse.InvocationConfiguration.Output.WriteLine($"recounted the rollups of {days} {(days == 1 ? "day" : "days")}");
            return LgspCommand.Ok;
        }, ct));
        return command;
    }

    // A progress bar over the days counted, on standard error and only when that is a terminal: never
    // mixed into the csv or json on standard output, nor into a redirected log; it clears itself when done.
    private static async Task<T> WithProgressAsync<T>(ParseResult parse, string description, Func<IProgress<RefreshProgress>?, Task<T>> work)
    {
        if (!ReferenceEquals(parse.InvocationConfiguration.Error, Console.Error) || Console.IsErrorRedirected)
        {
            return await work(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: 1);
                result = await work(new DaysProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.DaysToCount);
                    task.Value = p.DaysCounted;
                }));
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>Reports synchronously: the refresh updates a progress task, not a UI thread.</summary>
    private sealed class DaysProgress(Action<RefreshProgress> report) : IProgress<RefreshProgress>
    {
        public void Report(RefreshProgress value) => report(value);
    }

    // The command has no configuration of its own: it counts with the settings the rollups were built
    // with (the server's Hub:Reports), so a refresh here never disagrees with the server's.
    private static async Task<ReportService> ServiceAsync(HubDatabase database, CancellationToken ct)
    {
        var settings = ReportService.SettingsOf(await database.Reports.ReadStateAsync(ct));
        return new ReportService(database.Reports, database.Calendar, database.Directory, TimeProvider.System, settings);
    }

    private static (DateOnly From, DateOnly To)? Period(ParseResult parse, string? from, string? to)
    {
        if (from is null || to is null)
        {
            parse.InvocationConfiguration.Error.WriteLine("--from and --to are required (YYYY-MM-DD)");
            return null;
        }

        if (!DateOnly.TryParseExact(from.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            || !DateOnly.TryParseExact(to.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last))
        {
            parse.InvocationConfiguration.Error.WriteLine($"--from/--to: '{from}', '{to}' are not dates YYYY-MM-DD");
            return null;
        }

        if (last < first)
        {
            parse.InvocationConfiguration.Error.WriteLine("--to is before --from");
            return null;
        }

        return (first, last);
    }

    private static void Write(ParseResult parse, byte[] bytes, FileInfo? file)
    {
        if (file is null)
        {
            // Through the invocation's writer, so that tests and redirections see it; the BOM is dropped there.
            parse.InvocationConfiguration.Output.Write(new System.Text.UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF'));
            return;
        }

        File.WriteAllBytes(file.FullName, bytes);
    }

    private static string Hours(double? hours) => hours?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";

    private static void WriteTable(ParseResult parse, Report report)
    {
        var output = parse.InvocationConfiguration.Output;
        output.WriteLine($"{report.UnitName}, {report.Request.From:yyyy-MM-dd} – {report.Request.To:yyyy-MM-dd} (rollups as of {Tables.Time(report.AsOf) ?? "never"})");
        var shown = new[]
        {
            Figure.Sent, Figure.SentExternal, Figure.SentWithPaper, Figure.EnvelopeOrganization, Figure.EnvelopePersonal, Figure.EnvelopeUnsigned,
            Figure.SentLate, Figure.Received, Figure.AcknowledgedSameDay, Figure.ReceivedOnTime, Figure.NotReceived, Figure.Refused, Figure.FailedDeliveries,
        };
        var table = Tables.Create([FigureLabels.KeyHeading(report.Request.By), .. shown.Select(Figures.Name)]);
        foreach (var row in report.Rows.Append(new ReportRow("total", null, report.Total)))
        {
            table.AddText([row.Key, .. shown.Select(f => row.Figures[f].ToString(CultureInfo.InvariantCulture))]);
        }

        Tables.Console(output).Write(table);

        // The times to the answers, for the whole unit: how many deliveries got each, and the mean time in hours.
        var times = Tables.Create(["time to", "deliveries", "mean hours", "mean working hours"]);
        foreach (var measure in TimeMeasure.All)
        {
            times.AddText([measure.Name, report.Total[measure.Count].ToString(CultureInfo.InvariantCulture),
                Hours(measure.MeanHours(report.Total)), Hours(measure.MeanWorkingHours(report.Total))]);
        }

        Tables.Console(output).Write(times);
        output.WriteLine("Every figure: --format json, csv or xlsx.");
        if (report.Ranking.Count > 0)
        {
            output.WriteLine("Ranking (share of incoming received electronically on time, worst first):");
            foreach (var r in report.Ranking)
            {
                output.WriteLine($"{r.Rank,3}. {r.Agency} {r.Name} {r.OnTime}/{r.Due} ({r.Share:P1})");
            }
        }
    }
}
