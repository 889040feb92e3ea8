using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Documents;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>The directory: the agency tree (by parent), a search, each agency's signer certificates;
/// operators add, edit and retire agencies and import a CSV file after a preview of every line.</summary>
[Requires(ConsoleRight.ReadAll)]
[RequestSizeLimit(AgenciesModel.MaxUploadBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = AgenciesModel.MaxUploadBytes + 64 * 1024)]
public sealed partial class AgenciesModel(IDirectoryStore directory, TimeProvider clock, ConsoleText text) : ConsolePageModel
{
    /// <summary>The largest import file read (a province's directory is a few thousand lines).</summary>
    public const int MaxUploadBytes = 1024 * 1024;

    /// <summary>A certificate expiring within this is shown as a warning.</summary>
    public static readonly TimeSpan ExpirySoon = TimeSpan.FromDays(30);

    /// <summary>An agency where the tree shows it: its depth under its root.</summary>
    public sealed record TreeRow(Agency Agency, int Depth, IReadOnlyList<AgencyCertificate> Certificates);

    /// <summary>The search: a code or a name, accents ignored.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>The agency whose values fill the edit form.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Edit { get; set; }

    /// <summary>The agencies to show: the whole tree, or the search's matches (depth 0).</summary>
    public IReadOnlyList<TreeRow> Rows { get; private set; } = [];

    /// <summary>Every agency, by code (the form's parent and successor lists).</summary>
    public IReadOnlyList<Agency> All { get; private set; } = [];

    /// <summary>Now, for certificate expiry.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>What the last action did.</summary>
    public string? Done { get; private set; }


    /// <summary>Shows the tree or the search's matches.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Edit is { } code && All.FirstOrDefault(a => a.Code == code) is { } agency)
        {
            Form = AgencyForm.Of(agency);
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await directory.ListAgenciesAsync(ct: ct);
        var certificates = (await directory.ListAgencyCertificatesAsync(ct)).ToLookup(c => c.Agency, StringComparer.Ordinal);
        IReadOnlyList<AgencyCertificate> Of(Agency a) => certificates[a.Code].ToList();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var folded = SearchText.Fold(Q.Trim());
            Rows = All.Where(a => SearchText.Fold(a.Code).Contains(folded, StringComparison.Ordinal) || SearchText.Fold(a.Name).Contains(folded, StringComparison.Ordinal))
                .Select(a => new TreeRow(a, 0, Of(a))).ToList();
            return;
        }

        Rows = Tree(All).Select(t => new TreeRow(t.Agency, t.Depth, Of(t.Agency))).ToList();
    }

    /// <summary>The agencies depth first: roots (no parent, or a parent not in the directory) by code,
    /// each followed by its children by tier then code.</summary>
    public static IEnumerable<(Agency Agency, int Depth)> Tree(IReadOnlyList<Agency> agencies)
    {
        var codes = agencies.Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        var children = agencies.Where(a => a.ParentCode is { } p && codes.Contains(p)).ToLookup(a => a.ParentCode!, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<(Agency, int)>(agencies.Count);
        void Walk(Agency agency, int depth)
        {
            // The store refuses loops; the guard keeps a damaged directory from hanging the page.
            if (!seen.Add(agency.Code))
            {
                return;
            }

            ordered.Add((agency, depth));
            foreach (var child in children[agency.Code].OrderBy(c => AgencyTier.All.ToList().IndexOf(c.Tier)).ThenBy(c => c.Code, StringComparer.Ordinal))
            {
                Walk(child, depth + 1);
            }
        }

        foreach (var root in agencies.Where(a => a.ParentCode is null || !codes.Contains(a.ParentCode)))
        {
            Walk(root, 0);
        }

        // Whatever a loop left out still shows, at the top.
        foreach (var rest in agencies.Where(a => !seen.Contains(a.Code)))
        {
            Walk(rest, 0);
        }

        return ordered;
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Answer();
    }
}
