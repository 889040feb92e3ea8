using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Inbox;
using StatusCodes = Microsoft.AspNetCore.Http.StatusCodes;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>downloadEdoc</c>: one of the caller's deliveries (<c>docId</c>) as the body, the exact stored
/// bytes (<c>application/xml</c>, streamed from the store); marks it fetched.</summary>
public sealed class DownloadEdocOperation(AgencyMandate mandate, InboxService inbox) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "downloadEdoc";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var delivery = await mandate.OwnDeliveryAsync(call.System, call.Get("docId"), "docId", ct);
        return AxisAnswer.Package(await inbox.OpenPackageAsync(call.System, delivery.Id, ct));
    }

    /// <inheritdoc />
    /// <remarks>The SDK saves any body as the document (quirk Q9): a refusal has an empty body, 404 for
    /// an application error.</remarks>
    public AxisAnswer Refusal(EdxmlError error, int statusCode) =>
        AxisAnswer.Empty(statusCode == StatusCodes.Status200OK ? StatusCodes.Status404NotFound : statusCode);
}
