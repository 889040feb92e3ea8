using System.Text.Json;
using System.Text.RegularExpressions;
using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Tests.Ledger;

/// <summary>docs/audit.md's "What is recorded" tables against the entry factories: the audit contract
/// an auditor reads is the one the hub writes. In the tables, every name in backticks in a detail
/// column is a detail field.</summary>
public sealed partial class AuditDocumentTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "audit.md"));

    [Fact]
    public void The_kinds_table_names_exactly_the_kinds_the_factories_make()
    {
        var documented = KindsTable().SelectMany(row => row.Names);

        Assert.Equal(LedgerEntrySamples.All.Select(s => s.Entry.Kind).Distinct().Order(), documented.Order());
    }

    [Fact]
    public void The_kinds_table_names_exactly_the_detail_fields_each_kind_carries()
    {
        foreach (var row in KindsTable())
        {
            var made = row.Names.Any(ChangeKinds().Contains)
                ? ["change"]
                : Fields(LedgerEntrySamples.All.Where(s => row.Names.Contains(s.Entry.Kind)));

            Assert.True(made.SetEquals(row.Fields),
                $"{string.Join(" / ", row.Names)}: documented {string.Join(", ", row.Fields.Order())}; the factories write {string.Join(", ", made.Order())}");
        }
    }

    [Fact]
    public void The_changes_table_names_exactly_the_directory_and_trust_changes_the_factories_make_with_their_kinds_and_fields()
    {
        var changes = ChangesTable();
        var made = LedgerEntrySamples.All.Where(s => ChangeKinds().Contains(s.Entry.Kind))
            .GroupBy(s => Change(s.Entry))
            .ToDictionary(g => g.Key, g => (Kinds: g.Select(s => s.Entry.Kind).ToHashSet(), Fields: Fields(g)));

        Assert.Equal(made.Keys.Order(), changes.SelectMany(row => row.Names).Order());
        foreach (var row in changes)
        {
            var samples = row.Names.Select(name => made[name]).ToList();
            var kinds = samples.SelectMany(m => m.Kinds).Distinct().ToList();
            var fields = samples.SelectMany(m => m.Fields).Where(field => field != "change").ToHashSet();
            var names = string.Join(" / ", row.Names);
            Assert.True(kinds.SequenceEqual([row.Kind]), $"{names}: documented as {row.Kind}; the factories write {string.Join(", ", kinds)}");
            Assert.True(fields.SetEquals(row.Fields),
                $"{names}: documented {string.Join(", ", row.Fields.Order())}; the factories write {string.Join(", ", fields.Order())}");
        }
    }

    private static HashSet<string> ChangeKinds() => [.. ChangesTable().Select(row => row.Kind)];

    private static List<(string[] Names, HashSet<string> Fields)> KindsTable() =>
        [.. Table("| kind | written when | detail |").Select(cells => (Quoted(cells[0]).ToArray(), Quoted(cells[2]).ToHashSet()))];

    private static List<(string[] Names, string Kind, HashSet<string> Fields)> ChangesTable() =>
        [.. Table("| change | kind | written when |").Select(cells => (Quoted(cells[0]).ToArray(), Quoted(cells[1]).Single(), Quoted(cells[3]).ToHashSet()))];

    // The rows of the table whose header starts so, split into cells; the header and rule lines are skipped.
    private static IEnumerable<string[]> Table(string header)
    {
        var start = Array.FindIndex(Lines, line => line.StartsWith(header, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/audit.md has no table headed '{header}'");
        return Lines.Skip(start + 2).TakeWhile(line => line.StartsWith('|')).Select(line => line.Trim().Trim('|').Split('|'));
    }

    private static IEnumerable<string> Quoted(string cell) => InBackticks().Matches(cell).Select(m => m.Groups[1].Value);

    private static HashSet<string> Fields(IEnumerable<LedgerEntrySample> samples) =>
        [.. samples.SelectMany(s => JsonDocument.Parse(s.Entry.Detail).RootElement.EnumerateObject().Select(p => p.Name))];

    private static string Change(NewLedgerEntry entry) => JsonDocument.Parse(entry.Detail).RootElement.GetProperty("change").GetString()!;

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InBackticks();
}
