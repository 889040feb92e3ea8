using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Admin;

/// <summary>The administrator's trace API: <c>GET /admin/api/documents/{documentId}/trace</c>, the whole
/// story of a document at this hub (every sender's), as JSON. Behind the administrator's login (the
/// gate on <c>/admin</c>).</summary>
public static class TraceEndpoints
{
    /// <summary>Maps the trace API.</summary>
    public static IEndpointRouteBuilder MapTraceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/api/documents/{documentId}/trace", async (string documentId, IPackageStore store,
            IOptions<HubOptions> options, CancellationToken ct) =>
        {
            // DocumentIds hold slashes; a client escapes them as %2F, which routing leaves escaped.
            var id = documentId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            var events = await store.TraceAsync(id, senders: null, ct);
            return events.Count == 0
                ? Results.NotFound(new { error = "NotFound", documentId = id, message = $"No ledger entry is about DocumentId {id}." })
                : Results.Json(new { hub = options.Value.Id, documentId = id, events = TraceView.OfAll(events) });
        });
        return endpoints;
    }
}
