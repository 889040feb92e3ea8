using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Storage;

/// <summary>An item in a recipient's pending list.</summary>
public sealed record PendingItem
{
    /// <summary>The delivery id (what <c>GetDocument</c> and <c>ConfirmReceived</c> take).</summary>
    public required long Id { get; init; }

    /// <summary>DocumentId (a status: the document it is about).</summary>
    public required string DocumentId { get; init; }

    /// <summary>The sending agency.</summary>
    public required string From { get; init; }

    /// <summary>The recipient agency.</summary>
    public required string To { get; init; }

    /// <summary>Documents: number.</summary>
    public string? CodeNumber { get; init; }

    /// <summary>Documents: notation.</summary>
    public string? CodeNotation { get; init; }

    /// <summary>Documents: subject.</summary>
    public string? Subject { get; init; }

    /// <summary>Statuses: the code.</summary>
    public string? StatusCode { get; init; }

    /// <summary>When the hub received the package.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Package size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Pending, or Delivered once fetched.</summary>
    public DeliveryState State { get; init; } = DeliveryState.Pending;

    /// <summary>When the delivery last changed (fetched), else when it was created.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A delivery as its recipient-side operations need it.</summary>
/// <param name="Id">Delivery id.</param>
/// <param name="PackageId">Package id.</param>
/// <param name="Kind">Document or status.</param>
/// <param name="DocumentId">The package's DocumentId.</param>
/// <param name="Recipient">The recipient agency.</param>
/// <param name="State">The state.</param>
public sealed record DeliveryRecord(long Id, long PackageId, PackageKind Kind, string DocumentId, string Recipient, DeliveryState State)
{
    /// <summary>Pull or push.</summary>
    public DeliveryMode Mode { get; init; }

    /// <summary>The package was judged under the legacy policy here (a hub fetching it is told, ADR 0017).</summary>
    public bool Legacy { get; init; }

    /// <summary>The hub the package goes through (a child that pulls it, or the parent it is pushed
    /// to); null when this hub delivers to the recipient's system.</summary>
    public string? Via { get; init; }

    /// <summary>The hubs the package passed through before this one, first to last, as stored when it
    /// was received (a hub that hands it on adds its own id).</summary>
    public IReadOnlyList<string> Hops { get; init; } = [];

    /// <summary>True when <paramref name="caller"/> is the one that fetches and confirms this delivery:
    /// a hub caller, the pull deliveries via its hub; any other system, the deliveries this hub makes
    /// to its agencies' systems.</summary>
    public bool IsFor(ClientSystem caller) => caller.Hub is { } hub
        ? Via == hub && Mode == DeliveryMode.Pull
        : Via is null && caller.ActsFor(Recipient);
}
