using Lgsp.Edxml.Agencies;
namespace Lgsp.Exchange.Directory;

/// <summary>An agency read from a line of the import file, checked.</summary>
public sealed record AgencyRow(int Line, string Code, string Name, string? Parent, string Tier, Uri? PushEndpoint, string? ServedBy = null);

/// <summary>
/// The agency import file (UTF-8 CSV, header <c>code,name,parent,tier,push_endpoint</c> in any order,
/// optionally with <c>served_by</c>, the id of the hub that serves the agency): every line is checked
/// before anything is imported, and the rows are put in an order where each parent comes before its
/// children. The CLI (<c>lgsp agencies import</c>) and the console's directory screen both import through it.
/// </summary>
public static class AgencyImport
{
    /// <summary>The header's columns.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["code", "name", "parent", "tier", "push_endpoint"];

    /// <summary>The optional column naming the hub that serves the agency (empty: this hub).</summary>
    public const string ServedByColumn = "served_by";

    /// <summary>Checks the file and orders its rows.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="existing">The directory's agencies now: code → parent code.</param>
    /// <param name="hubs">The ids of the hubs in the directory (what <c>served_by</c> may name).</param>
    /// <returns>When <c>Problems</c> is empty, the rows, parents first. Otherwise every problem, by line,
    /// and the rows of the lines that passed their own checks, in file order (a preview shows both).</returns>
    public static (IReadOnlyList<AgencyRow> Rows, IReadOnlyList<LineProblem> Problems) Plan(
        string text, IReadOnlyDictionary<string, string?> existing, IReadOnlySet<string> hubs)
    {
        var (records, problems) = Csv.Read(text);
        var all = problems.ToList();
        // The header is the first record; a malformed first line leaves nothing to read the columns by.
        if (records.Count == 0 || all.Any(p => p.Line < records[0].Line))
        {
            if (all.Count == 0)
            {
                all.Add(new LineProblem(1, "row", $"the file is empty; it needs the header {string.Join(',', Columns)}",
                    $"tệp trống; cần dòng tiêu đề {string.Join(',', Columns)}"));
            }

            return ([], all);
        }

        var header = records[0];
        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var index = Columns.ToDictionary(c => c, c => names.IndexOf(c));
        var servedByIndex = names.IndexOf(ServedByColumn);
        if (names.Count != Columns.Count + (servedByIndex < 0 ? 0 : 1) || index.Values.Any(i => i < 0))
        {
            all.Add(new LineProblem(header.Line, "header",
                $"the header must be {string.Join(',', Columns)} (in any order, optionally with {ServedByColumn}), not {string.Join(',', header.Fields)}",
                $"dòng tiêu đề phải là {string.Join(',', Columns)} (thứ tự bất kỳ, có thể thêm {ServedByColumn}), không phải {string.Join(',', header.Fields)}"));
            return ([], all.OrderBy(p => p.Line).ToList());
        }

        var rows = new List<AgencyRow>();
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            var before = all.Count;
            void Bad(string field, string reason, string reasonVi) => all.Add(new LineProblem(record.Line, field, reason, reasonVi));

            if (record.Fields.Count != names.Count)
            {
                Bad("row", $"{record.Fields.Count} fields where the header has {names.Count}", $"{record.Fields.Count} trường trong khi dòng tiêu đề có {names.Count}");
                continue;
            }

            string Field(string column) => record.Fields[index[column]].Trim();

            var code = Code(Field("code"), "code", required: true, Bad);
            var name = Field("name");
            if (name.Length == 0)
            {
                Bad("name", "the name is empty", "tên trống");
            }

            var tier = Field("tier").ToLowerInvariant();
            if (!AgencyTier.IsKnown(tier))
            {
                Bad("tier", $"'{Field("tier")}' is not a tier (one of {string.Join(", ", AgencyTier.All)})", $"'{Field("tier")}' không phải là cấp (một trong {string.Join(", ", AgencyTier.All)})");
            }

            var parent = Code(Field("parent"), "parent", required: false, Bad);
            if (parent is not null && parent == code)
            {
                Bad("parent", "an agency cannot be its own parent", "cơ quan không thể là cơ quan cha của chính nó");
            }

            var pushText = Field("push_endpoint");
            var push = pushText.Length == 0 ? null : PushEndpoint(pushText);
            if (pushText.Length > 0 && push is null)
            {
                Bad("push_endpoint", $"'{pushText}' is not an absolute http or https URL", $"'{pushText}' không phải là địa chỉ http hoặc https đầy đủ");
            }

            var servedBy = servedByIndex < 0 ? null : record.Fields[servedByIndex].Trim() is { Length: > 0 } hubId ? hubId : null;
            if (servedBy is not null && !hubs.Contains(servedBy))
            {
                Bad(ServedByColumn, $"no hub {servedBy} in the directory (lgsp hubs add)", $"không có trục {servedBy} trong danh bạ (lgsp hubs add)");
            }

            if (code is not null)
            {
                if (lineOf.TryGetValue(code, out var earlier))
                {
                    Bad("code", $"{code} is already on line {earlier}", $"{code} đã có ở dòng {earlier}");
                }
                else
                {
                    lineOf[code] = record.Line;
                }
            }

            if (all.Count == before)
            {
                rows.Add(new AgencyRow(record.Line, code!, name, parent, tier, push, servedBy));
            }
        }

        var byCode = rows.ToDictionary(r => r.Code, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Parent is { } parent && !byCode.ContainsKey(parent) && !lineOf.ContainsKey(parent) && !existing.ContainsKey(parent))
            {
                all.Add(new LineProblem(row.Line, "parent", $"the parent {parent} is neither in the directory nor in this file", $"cơ quan cha {parent} không có trong danh bạ cũng như trong tệp này"));
            }
            else if (LoopsBack(row, byCode, existing))
            {
                all.Add(new LineProblem(row.Line, "parent", $"the chain of parents from {row.Parent} leads back to {row.Code}", $"chuỗi cơ quan cha từ {row.Parent} quay lại {row.Code}"));
            }
        }

        if (all.Count > 0)
        {
            return (rows, all.OrderBy(p => p.Line).ToList());
        }

        return (ParentsFirst(rows, byCode), []);
    }

    /// <summary>An absolute http or https URL, or null.</summary>
    public static Uri? PushEndpoint(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    /// <summary>True when following parents from <paramref name="code"/>'s new parent, through
    /// <paramref name="parents"/>, comes back to <paramref name="code"/>.</summary>
    public static bool LoopsBack(string code, string? parent, Func<string, string?> parents)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var next = parent; next is not null && seen.Add(next); next = parents(next))
        {
            if (next == code)
            {
                return true;
            }
        }

        return false;
    }

    private static bool LoopsBack(AgencyRow row, Dictionary<string, AgencyRow> byCode, IReadOnlyDictionary<string, string?> existing) =>
        LoopsBack(row.Code, row.Parent, c => byCode.TryGetValue(c, out var r) ? r.Parent : existing.GetValueOrDefault(c));

    private static string? Code(string text, string field, bool required, Action<string, string, string> bad)
    {
        if (text.Length == 0)
        {
            if (required)
            {
                bad(field, "the code is empty", "mã trống");
            }

            return null;
        }

        if (AgencyCode.Check(text, field) is { } invalid)
        {
            bad(field, invalid.Message, invalid.MessageVi);
            return null;
        }

        return AgencyCode.Parse(text).Value;
    }

    /// <summary>The rows in file order, except that a row whose parent is also in the file comes after it.</summary>
    private static List<AgencyRow> ParentsFirst(List<AgencyRow> rows, Dictionary<string, AgencyRow> byCode)
    {
        var ordered = new List<AgencyRow>(rows.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(AgencyRow row)
        {
            if (!placed.Add(row.Code))
            {
                return;
            }

            if (row.Parent is { } parent && byCode.TryGetValue(parent, out var parentRow))
            {
                Place(parentRow);
            }

            ordered.Add(row);
        }

        // No loops are left (checked above), so the recursion ends; its depth is the hierarchy's.
        foreach (var row in rows)
        {
            Place(row);
        }

        return ordered;
    }
}
