using System.Globalization;

namespace Lgsp.Bench;

/// <summary>A mode's <c>--name value</c> and <c>--flag</c> arguments: the one way every mode reads its
/// options. A name given twice takes its last value; <see cref="EnsureAllRead"/> refuses a name no one asked for.</summary>
internal sealed class BenchArgs
{
    private readonly List<(string Name, string? Value)> _given = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly string _usage;

    /// <param name="args">The arguments after the mode's name.</param>
    /// <param name="usage">The mode's usage line, shown with every complaint.</param>
    public BenchArgs(IReadOnlyList<string> args, string usage)
    {
        _usage = usage;
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw Complaint($"Unexpected argument {args[i]}.");
            }

            var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            _given.Add((args[i], hasValue ? args[++i] : null));
        }
    }

    /// <summary>Whether <paramref name="name"/> was asked for (<c>--help</c> included).</summary>
    public bool Flag(string name)
    {
        _read.Add(name);
        return _given.Any(g => g.Name == name && (g.Value is null ? true : throw Complaint($"{name} takes no value.")));
    }

    /// <summary>The last value of <paramref name="name"/>, or null.</summary>
    public string? Text(string name) => Values(name).LastOrDefault();

    /// <summary>The last value of <paramref name="name"/> as an integer, or <paramref name="fallback"/>.</summary>
    public int Int(string name, int fallback) => Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The last value of <paramref name="name"/> as an integer, or null.</summary>
    public int? OptionalInt(string name) => Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    /// <summary>The last value of <paramref name="name"/> as whole seconds, or <paramref name="fallback"/>.</summary>
    public TimeSpan Seconds(string name, TimeSpan fallback) => OptionalInt(name) is { } seconds ? TimeSpan.FromSeconds(seconds) : fallback;

    /// <summary>Every <c>KEY=VALUE</c> given as <paramref name="name"/> (<c>--hub-setting</c>), the last value of a key winning.</summary>
    public Dictionary<string, string> Settings(string name)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in Values(name))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals < 1)
            {
                throw new ArgumentException($"{name} {setting}: expected KEY=VALUE.");
            }

            settings[setting[..equals]] = setting[(equals + 1)..];
        }

        return settings;
    }

    /// <summary>Throws for a name given that no one read (a typo, another mode's option).</summary>
    public void EnsureAllRead()
    {
        if (_given.FirstOrDefault(g => !_read.Contains(g.Name)) is { Name: { } unknown })
        {
            throw Complaint($"Unknown argument {unknown}.");
        }
    }

    /// <summary>An out-of-range complaint with the usage.</summary>
    public ArgumentException OutOfRange() => Complaint("Out-of-range argument.");

    private IEnumerable<string> Values(string name)
    {
        _read.Add(name);
        foreach (var (given, value) in _given.Where(g => g.Name == name))
        {
            yield return value ?? throw Complaint($"{given} needs a value.");
        }
    }

    private ArgumentException Complaint(string what) => new($"{what}{Environment.NewLine}{_usage}");
}
