using System.Globalization;

namespace Lgsp.Edxml.Model;

/// <summary>A date or timestamp kept as written, so that a bad one can be reported rather than lost.</summary>
public interface IWrittenTime
{
    /// <summary>The text as written.</summary>
    string Text { get; }

    /// <summary>The format the standard prescribes.</summary>
    string StandardFormat { get; }

    /// <summary>True when the text parses in the standard's or a tolerated format.</summary>
    bool Parses { get; }

    /// <summary>True when written exactly as the standard says.</summary>
    bool IsStandardFormat { get; }
}

/// <summary>A date as written in a package. The standard writes <c>yyyy/MM/dd</c>; producers also
/// write <c>yyyy-MM-dd</c>. The text is kept so that nothing is lost and a bad date can be reported.</summary>
/// <param name="Text">The text as written.</param>
public sealed record EdxmlDate(string Text) : IWrittenTime
{
    /// <inheritdoc />
    public string StandardFormat => Formats[0];

    /// <inheritdoc />
    public bool Parses => Value is not null;

    private static readonly string[] Formats = ["yyyy/MM/dd", "yyyy-MM-dd"];

    /// <summary>The date, or null when <see cref="Text"/> is not a valid date in either format.</summary>
    public DateOnly? Value =>
        DateOnly.TryParseExact(Text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>True when written as the standard says (<c>yyyy/MM/dd</c>).</summary>
    public bool IsStandardFormat =>
        DateOnly.TryParseExact(Text.Trim(), Formats[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>A date in the standard's format.</summary>
    public static EdxmlDate From(DateOnly date) => new(date.ToString(Formats[0], CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>A timestamp as written: the standard's <c>yyyy/MM/dd HH:mm:ss</c> (local time of
/// Vietnam, no zone), also <c>yyyy-MM-dd HH:mm:ss</c> and ISO 8601.</summary>
/// <param name="Text">The text as written.</param>
public sealed record EdxmlTimestamp(string Text) : IWrittenTime
{
    /// <inheritdoc />
    public string StandardFormat => Formats[0];

    /// <inheritdoc />
    public bool Parses => Value is not null;

    private static readonly string[] Formats =
        ["yyyy/MM/dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy/MM/dd"];

    /// <summary>The timestamp, or null when it does not parse.</summary>
    public DateTime? Value =>
        DateTime.TryParseExact(Text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    /// <summary>True when written as the standard says.</summary>
    public bool IsStandardFormat =>
        DateTime.TryParseExact(Text.Trim(), Formats[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>A timestamp in the standard's format.</summary>
    public static EdxmlTimestamp From(DateTime time) => new(time.ToString(Formats[0], CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public override string ToString() => Text;
}
