using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;

namespace Lgsp.Web.Pages;

/// <summary>Hub links: the parent and the children the directory knows, each with its backlog, its
/// failed deliveries, when a delivery last went through it and the last checkpoint countersigned
/// across it. Read-only: links are changed with <c>lgsp hubs</c>.</summary>
[Requires(ConsoleRight.ReadAll)]
public sealed class HubsModel(IHubFigures figures) : ConsolePageModel
{
    /// <summary>The links, parent first.</summary>
    public IReadOnlyList<HubLinkFigures> Links { get; private set; } = [];

    /// <summary>Reads the links.</summary>
    public async Task OnGetAsync(CancellationToken ct) => Links = await figures.HubLinksAsync(ct);
}
