using System.CommandLine;
using System.Globalization;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using Lgsp.Exchange.Reports.Calendar;
using Lgsp.Exchange.Storage;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp calendar ...</c>: the working-day calendar the reports judge "late" and "the same
/// working day" on. The bundled holidays ship with the hub; these commands lay the operator's changes
/// over them.</summary>
internal static class CalendarCommands
{
    public static Command Create()
    {
        var hub = new HubCommandOptions();
        return hub.AddTo(new Command("calendar", "The working-day calendar of the reports: Saturdays and Sundays off, the bundled public holidays, and the operators' changes.")
        {
            Add(hub),
            Remove(hub),
            List(hub),
        });
    }

    private static Command Add(HubCommandOptions hub)
    {
        var day = new Argument<string>("DATE") { Description = "The local date, YYYY-MM-DD." };
        var holiday = new Option<bool>("--holiday") { Description = "Make it a day off (a holiday, a swapped day)." };
        var working = new Option<bool>("--working") { Description = "Make it a working day (a make-up Saturday)." };
        var reason = new Option<string>("--reason") { Description = "Why, as people say it (e.g. \"Làm bù ngày 2/5\").", Required = true };
        var command = new Command("add", "Make a day a holiday or a working day, replacing any earlier change for it (recorded in the ledger).") { day, holiday, working, reason };
        command.SetAction((parse, ct) =>
        {
            if (ParseDay(parse, parse.GetValue(day)!) is not { } date)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            if (parse.GetValue(holiday) == parse.GetValue(working))
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "give exactly one of --holiday and --working"));
            }

            var why = parse.GetValue(reason)!.Trim();
            if (why.Length == 0)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "--reason: the reason is empty"));
            }

            var kind = parse.GetValue(holiday) ? DayKind.Holiday : DayKind.Working;
            return hub.RunAsync(parse, async connection =>
            {
                await connection.Calendar.SetDayAsync(new CalendarDay(date, kind, why, DaySource.Operator), hub.ActorOf(parse), ct);
                parse.InvocationConfiguration.Output.WriteLine($"{Text(date)} is now a {(kind == DayKind.Holiday ? "holiday" : "working day")} ({why})");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command Remove(HubCommandOptions hub)
    {
        var day = new Argument<string>("DATE") { Description = "The local date, YYYY-MM-DD." };
        var command = new Command("remove", "Remove an operator's change for a day; the bundled calendar, or the weekday, decides it again. A bundled holiday is changed with add --working.") { day };
        command.SetAction((parse, ct) =>
        {
            if (ParseDay(parse, parse.GetValue(day)!) is not { } date)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            return hub.RunAsync(parse, async connection =>
            {
                if (!await connection.Calendar.RemoveDayAsync(date, hub.ActorOf(parse), ct))
                {
                    parse.InvocationConfiguration.Error.WriteLine(
                        $"{Text(date)}: no operator's change for that day{(BundledHolidays.All.Any(d => d.Day == date) ? " (it is in the bundled calendar: use add --working or --holiday to override it)" : "")}");
                    return LgspCommand.Failed;
                }

                var calendar = await connection.Calendar.LoadCalendarAsync(ct: ct);
                parse.InvocationConfiguration.Output.WriteLine($"removed the change for {Text(date)}; it is now a {(calendar.IsWorkingDay(date) ? "working day" : "day off")}");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command List(HubCommandOptions hub)
    {
        var year = new Option<int?>("--year") { Description = "Only this year's days.", HelpName = "YYYY" };
        var json = CommonOptions.Json();
        var command = new Command("list", "List the days that are not what their weekday says: bundled holidays and make-up days, and the operators' changes over them.") { year, json };
        command.SetAction((parse, ct) => hub.RunAsync(parse, async connection =>
        {
            var calendar = await connection.Calendar.LoadCalendarAsync(ct: ct);
            var only = parse.GetValue(year);
            var days = calendar.Exceptions.Values.Where(d => only is null || d.Day.Year == only).OrderBy(d => d.Day).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                Findings.WriteJson(output, days.Select(d => new
                {
                    day = Text(d.Day),
                    kind = BundledHolidays.Word(d.Kind),
                    reason = d.Reason,
                    source = d.Source == DaySource.Bundled ? "bundled" : "operator",
                }));
                return LgspCommand.Ok;
            }

            var table = Tables.Create("day", "weekday", "kind", "reason", "source");
            foreach (var d in days)
            {
                table.AddText(Text(d.Day), d.Day.DayOfWeek.ToString(), BundledHolidays.Word(d.Kind), d.Reason, d.Source == DaySource.Bundled ? "bundled" : "operator");
            }

            Tables.Console(output).Write(table);
            output.WriteLine($"{days.Count} {(days.Count == 1 ? "day" : "days")}");
            return LgspCommand.Ok;
        }, ct));
        return command;
    }

    private static DateOnly? ParseDay(ParseResult parse, string text)
    {
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        parse.InvocationConfiguration.Error.WriteLine($"DATE: '{text}' is not a date YYYY-MM-DD");
        return null;
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
