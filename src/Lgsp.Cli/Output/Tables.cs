using System.Globalization;
using Spectre.Console;

namespace Lgsp.Cli.Output;

/// <summary>Tables for listings: colour only on a terminal, and wide enough when the output is
/// redirected that codes and URLs are not broken across lines.</summary>
internal static class Tables
{
    private const int RedirectedWidth = 240;

    /// <summary>A console writing to <paramref name="output"/>.</summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        var terminal = output == System.Console.Out && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>A table with these column headings.</summary>
    public static Table Create(params string[] columns) => new Table().Border(TableBorder.Rounded).AddColumns(columns);

    /// <summary>Adds a row of plain text cells (no markup); null shows as <c>-</c>.</summary>
    public static void AddText(this Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => new Text(string.IsNullOrEmpty(c) ? "-" : c)));

    /// <summary>A time as operators read it: local, to the second, with the offset.</summary>
    public static string? Time(DateTimeOffset? at) =>
        at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}
