using System.Text;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

// The CSV import: a preview of every line's verdict first, then all lines saved, or none.
public sealed partial class AgenciesModel
{
    /// <summary>One line of the import file and what would become of it.</summary>
    /// <param name="Line">The line (1-based).</param>
    /// <param name="Row">The agency it names, when the line was read.</param>
    /// <param name="Problems">What is wrong with it; empty for a good line.</param>
    /// <param name="Exists">True when the code is already in the directory (an update).</param>
    /// <param name="Code">The code as written on the line, when it could be read.</param>
    /// <param name="Name">The name as written on the line, when it could be read.</param>
    public sealed record ImportLine(int Line, AgencyRow? Row, IReadOnlyList<LineProblem> Problems, bool Exists, string? Code, string? Name);

    /// <summary>The verdict of every line of the file previewed (or refused at saving), by line.</summary>
    public IReadOnlyList<ImportLine>? Preview { get; private set; }

    /// <summary>The previewed file's text, posted back to save it (checked again then).</summary>
    [BindProperty]
    public string? ImportText { get; set; }

    /// <summary>True when the preview found no bad line: the file can be saved.</summary>
    public bool ImportReady => Preview is { Count: > 0 } lines && lines.All(l => l.Problems.Count == 0);

    /// <summary>Reads the uploaded file and shows every line's verdict; saves nothing.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file, CancellationToken ct)
    {
        if (!Can(ConsoleRight.EditDirectory))
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            Refused = text["Hãy chọn tệp CSV.", "Choose a CSV file."];
            return await PageAsync(ct);
        }

        if (file.Length > MaxUploadBytes)
        {
            Refused = text[$"Tệp lớn hơn {text.Size(MaxUploadBytes)}.", $"The file is larger than {text.Size(MaxUploadBytes)}."];
            return await PageAsync(ct);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        try
        {
            // Drops a byte order mark; refuses bytes that are not UTF-8 (as the CLI does).
            ImportText = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer.ToArray()).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            Refused = text["Tệp không phải văn bản UTF-8; hãy lưu tệp dạng CSV UTF-8.", "The file is not UTF-8 text; save it as CSV UTF-8."];
            return await PageAsync(ct);
        }

        await PlanAsync(ImportText, ct);
        return await PageAsync(ct);
    }

    /// <summary>Checks the previewed text again and saves every line, or nothing when any line is bad.</summary>
    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        if (!Can(ConsoleRight.EditDirectory))
        {
            return Forbid();
        }

        if (string.IsNullOrEmpty(ImportText) || Encoding.UTF8.GetByteCount(ImportText) > MaxUploadBytes)
        {
            Refused = text["Hãy chọn tệp CSV.", "Choose a CSV file."];
            return await PageAsync(ct);
        }

        // The directory may have changed since the preview: everything is checked again before any save.
        var (rows, existing) = await PlanAsync(ImportText, ct);
        if (!ImportReady)
        {
            Refused = text["Không nhập gì: có dòng sai.", "Nothing imported: some lines are wrong."];
            return await PageAsync(ct);
        }

        var (added, updated) = (0, 0);
        foreach (var row in rows)
        {
            await directory.SaveAgencyAsync(
                new Agency(row.Code, row.Name, row.Parent, row.Tier, true, null, row.PushEndpoint, clock.GetUtcNow()) { ServedBy = row.ServedBy }, Actor, ct);
            _ = existing.ContainsKey(row.Code) ? updated++ : added++;
        }

        Preview = null;
        ImportText = null;
        ModelState.Clear();
        Done = text[$"Đã nhập {rows.Count} cơ quan: thêm {added}, cập nhật {updated}.", $"Imported {rows.Count} agencies: {added} added, {updated} updated."];
        return await PageAsync(ct);
    }

    // The code and name as written on each line (a bad line shows them too), read by the header's columns.
    private static Dictionary<int, (string? Code, string? Name)> Written(string csv)
    {
        var (records, _) = Csv.Read(csv);
        if (records.Count == 0)
        {
            return [];
        }

        var names = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var (code, name) = (names.IndexOf("code"), names.IndexOf("name"));
        string? At(CsvRecord record, int index) => index >= 0 && index < record.Fields.Count ? record.Fields[index].Trim() : null;
        return records.Skip(1).ToDictionary(r => r.Line, r => (At(r, code), At(r, name)));
    }

    // Plans the import against the directory now and fills Preview with every data line's verdict.
    private async Task<(IReadOnlyList<AgencyRow> Rows, IReadOnlyDictionary<string, string?> Existing)> PlanAsync(string csv, CancellationToken ct)
    {
        var existing = (await directory.ListAgenciesAsync(ct: ct)).ToDictionary(a => a.Code, a => a.ParentCode, StringComparer.Ordinal);
        var hubs = (await directory.ListHubsAsync(ct)).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var (rows, problems) = AgencyImport.Plan(csv, existing, hubs);
        var byLine = problems.ToLookup(p => p.Line);
        var lines = rows.Select(r => r.Line).Concat(problems.Select(p => p.Line)).Distinct().Order();
        var rowAt = rows.ToDictionary(r => r.Line);
        var written = Written(csv);
        Preview = lines.Select(l => rowAt.TryGetValue(l, out var row)
            ? new ImportLine(l, row, byLine[l].ToList(), existing.ContainsKey(row.Code), row.Code, row.Name)
            : new ImportLine(l, null, byLine[l].ToList(), false, written.GetValueOrDefault(l).Code, written.GetValueOrDefault(l).Name)).ToList();
        return (rows, existing);
    }
}
