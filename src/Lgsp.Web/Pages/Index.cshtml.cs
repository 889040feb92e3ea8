using System.Diagnostics;
using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Text;

namespace Lgsp.Web.Pages;

/// <summary>The overview: today's and the last 30 days' traffic, what waits, who fails, what needs
/// attention in trust and in the ledger; each figure links to its list. The whole hub's figures need
/// ReadAll; an agency clerk gets the links to their own screens.</summary>
public sealed class IndexModel(IHubFigures figures, TrustStatus trust, TimeProvider clock) : ConsolePageModel
{
    /// <summary>Days in the chart.</summary>
    public const int Days = 30;

    /// <summary>How far ahead expiring certificates are shown: what the trust page calls soon.</summary>
    public static readonly TimeSpan Horizon = TrustStatus.Soon;

    /// <summary>The last <see cref="Days"/> days, oldest first (today last); empty without ReadAll.</summary>
    public IReadOnlyList<DayFigures> Daily { get; private set; } = [];

    /// <summary>What waits now.</summary>
    public WaitingFigures? Waiting { get; private set; }

    /// <summary>Recipients and hubs whose deliveries failed in the last day.</summary>
    public IReadOnlyList<FailingPeer> Failing { get; private set; } = [];

    /// <summary>The hub links.</summary>
    public IReadOnlyList<HubLinkFigures> Links { get; private set; } = [];

    /// <summary>Agencies' signing certificates ending within <see cref="Horizon"/> (or ended).</summary>
    public IReadOnlyList<ExpiringCertificate> ExpiringSigners { get; private set; } = [];

    /// <summary>Roots and intermediates expired or expiring soon.</summary>
    public IReadOnlyList<TrustAnchorStatus> Anchors { get; private set; } = [];

    /// <summary>CRLs stale or falling due soon.</summary>
    public IReadOnlyList<CrlStatus> Crls { get; private set; } = [];

    /// <summary>Sealing and witnessing.</summary>
    public SealFigures? Seal { get; private set; }

    /// <summary>Now.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>How long reading every figure took.</summary>
    public TimeSpan ReadIn { get; private set; }

    /// <summary>Today.</summary>
    public DayFigures Today => Daily.Count > 0 ? Daily[^1] : new DayFigures(default, 0, 0, 0, 0);

    /// <summary>The chart's data for console.js: days and one series per figure.</summary>
    public string ChartJson => JsonSerializer.Serialize(new
    {
        days = Daily.Select(d => d.Day.ToString("dd/MM", System.Globalization.CultureInfo.InvariantCulture)),
        accepted = Daily.Select(d => d.Accepted),
        delivered = Daily.Select(d => d.Delivered),
        acknowledged = Daily.Select(d => d.Acknowledged),
        failed = Daily.Select(d => d.Failed),
    });

    /// <summary>Reads the figures the user may see.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        if (!Can(ConsoleRight.ReadAll))
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, ConsoleText.Zone).DateTime);
        Daily = await figures.DailyAsync(today.AddDays(1 - Days), Days, ConsoleText.Zone, ct);
        Waiting = await figures.WaitingAsync(ct);
        Failing = await figures.FailingPeersAsync(Now.AddDays(-1), 10, ct);
        Links = await figures.HubLinksAsync(ct);
        ExpiringSigners = await figures.ExpiringSignersAsync(Now + Horizon, ct);
        var (anchors, crls) = await trust.ReadAsync(ct);
        Anchors = [.. anchors.Where(a => a.Health != TrustHealth.Fine)];
        Crls = [.. crls.Where(c => c.Health != TrustHealth.Fine)];
        Seal = await figures.SealAsync(ct);
        ReadIn = watch.Elapsed;
    }
}
