using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Lgsp.Web.Pages;

/// <summary>Deliveries: every delivery of the hub, filtered by state, error code, recipient, hub and
/// age, newest first, a page at a time; and, for those with the right, the bulk replay of failed ones
/// (dry run, then a reason, then the replay and its summary). The replay is
/// <see cref="ReplayService"/>'s, the one the command line and the admin API run.</summary>
[Requires(Exchange.People.ConsoleRight.ReadAll)]
public sealed partial class DeliveriesModel(IPackageStore packages, ReplayService replay, ConsoleText text, ILogger<DeliveriesModel> log) : ConsolePageModel
{
    /// <summary>Rows on a page.</summary>
    public const int PageSize = 50;

    /// <summary>The filters.</summary>
    public DeliveryQuery Query { get; private set; } = new();

    /// <summary>This page's deliveries, newest first.</summary>
    public IReadOnlyList<DeliveryView> Rows { get; private set; } = [];

    /// <summary>The id the next (older) page starts below; null on the last page.</summary>
    public long? NextCursor { get; private set; }

    /// <summary>True when this is not the first page.</summary>
    public bool Paged { get; private set; }

    /// <summary>The dry run shown, when one was asked for.</summary>
    public IReadOnlyList<ReplayItem>? DryRun { get; private set; }

    /// <summary>The replay's outcome, once replayed.</summary>
    public ReplayResult? Summary { get; private set; }

    /// <summary>Why the last request was refused.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The reason typed, shown again after a refusal.</summary>
    public string? Reason { get; private set; }

    /// <summary>The delivery ids the dry run shows as going: what a replay from it replays.</summary>
    public string DryRunIds => string.Join(',', (DryRun ?? []).Where(i => i.Outcome == ReplayOutcome.Replayed).Select(i => i.DeliveryId));

    /// <summary>The address of this list with the current filters and <paramref name="cursor"/>.</summary>
    public string ListUrl(long? cursor = null) =>
        "/console/deliveries" + QueryString.Create(Query.Pairs().Concat(cursor is { } c ? [new KeyValuePair<string, string?>("cursor", c.ToString(System.Globalization.CultureInfo.InvariantCulture))] : []));

    /// <summary>Shows a page of the list.</summary>
    public async Task OnGetAsync(long? cursor, CancellationToken ct)
    {
        Query = DeliveryQuery.From(name => Request.Query[name]);
        await LoadAsync(cursor, ct);
    }

    private async Task LoadAsync(long? cursor, CancellationToken ct)
    {
        var rows = await packages.ListDeliveriesAsync(Query.Filter(cursor), PageSize + 1, ct);
        Paged = cursor is not null;
        if (rows.Count > PageSize)
        {
            rows = [.. rows.Take(PageSize)];
            NextCursor = rows[^1].Id;
        }

        Rows = rows;
    }
}
