using Lgsp.Server.Tests.Support;

namespace Lgsp.Server.Tests.Inbound.Matrix;

/// <summary>The authorisation matrix of docs/security.md ("The authorisation matrix"), read from the
/// markdown: one row per endpoint, one column per kind of caller, then the size and the rate limit.</summary>
internal sealed record AuthorisationMatrix(IReadOnlyList<string> Callers, IReadOnlyList<MatrixRow> Rows)
{
    /// <summary>The heading the table sits under.</summary>
    public const string Heading = "## The authorisation matrix";

    /// <summary>The caller columns, in the document's order.</summary>
    public static readonly string[] CallerColumns =
        ["owner", "other agency", "hub, inside", "hub, outside", "auditor", "disabled", "administrator", "none"];

    /// <summary>Reads the first table under <see cref="Heading"/> in docs/security.md.</summary>
    public static AuthorisationMatrix Read()
    {
        var lines = File.ReadAllLines(Repository.File("docs", "security.md"));
        var start = Array.IndexOf(lines, Heading);
        Assert.True(start >= 0, $"docs/security.md has no '{Heading}' section");
        var table = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.True(table.Count > 2, "the authorisation matrix has no rows");
        var header = Cells(table[0]);
        Assert.Equal(["endpoint", .. CallerColumns, "size limit", "rate limit"], header);
        var rows = table.Skip(2).Select(line =>
        {
            var cells = Cells(line);
            Assert.True(cells.Count == header.Count, $"the row '{line}' has {cells.Count} cells, not {header.Count}");
            var expected = CallerColumns.Select((c, i) => (c, cells[i + 1])).ToDictionary(p => p.c, p => p.Item2, StringComparer.Ordinal);
            return new MatrixRow(cells[0], expected, cells[^2], cells[^1]);
        }).ToList();
        return new AuthorisationMatrix(CallerColumns, rows);
    }

    // A cell's text without its backticks.
    private static List<string> Cells(string line) =>
        [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal))];
}

/// <summary>One endpoint's row: the expected outcome per caller (<c>yes</c>, <c>login</c>, an error code
/// or an HTTP status), its size limit and its rate limit.</summary>
internal sealed record MatrixRow(string Endpoint, IReadOnlyDictionary<string, string> Expected, string SizeLimit, string RateLimit);
