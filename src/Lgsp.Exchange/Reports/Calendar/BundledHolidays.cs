using System.Globalization;

namespace Lgsp.Exchange.Reports.Calendar;

/// <summary>The holidays and make-up days shipped with the hub (<c>vn-holidays.txt</c>, embedded; its
/// header says where each year's dates come from and which years are unsure).</summary>
public static class BundledHolidays
{
    private const string ResourceName = "Lgsp.Exchange.Reports.Calendar.vn-holidays.txt";

    /// <summary>The bundled days, in date order.</summary>
    public static IReadOnlyList<CalendarDay> All { get; } = Load();

    /// <summary>Parses the file's text: <c>DATE KIND REASON</c> per line, <c>#</c> comments.</summary>
    /// <exception cref="FormatException">A line is not of that form.</exception>
    public static IReadOnlyList<CalendarDay> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var days = new List<CalendarDay>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3
                || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                || ParseKind(parts[1]) is not { } kind)
            {
                throw new FormatException($"vn-holidays.txt line {number}: '{line}' is not 'YYYY-MM-DD holiday|working REASON'.");
            }

            days.Add(new CalendarDay(day, kind, parts[2], DaySource.Bundled));
        }

        return [.. days.OrderBy(d => d.Day)];
    }

    /// <summary><c>holiday</c> or <c>working</c>, else null.</summary>
    public static DayKind? ParseKind(string word) => word switch
    {
        "holiday" => DayKind.Holiday,
        "working" => DayKind.Working,
        _ => null,
    };

    /// <summary>The word for a kind, as the file, the database and the ledger write it.</summary>
    public static string Word(DayKind kind) => kind == DayKind.Holiday ? "holiday" : "working";

    private static IReadOnlyList<CalendarDay> Load()
    {
        using var stream = typeof(BundledHolidays).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
