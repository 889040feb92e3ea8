using System.Globalization;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Export;

namespace Lgsp.Server.Inbound.Admin;

/// <summary>The reports API for upward reporting systems: <c>GET /admin/api/reports?from=YYYY-MM-DD&amp;to=YYYY-MM-DD[&amp;unit=CODE][&amp;by=agency|tier|day|month]</c>,
/// the same figures as <c>lgsp report --format json</c> (docs/api.md, docs/reports.md). Behind the
/// administrator's login (the gate on <c>/admin</c>).</summary>
public static class ReportEndpoints
{
    /// <summary>Maps the reports API.</summary>
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/api/reports", async (string? from, string? to, string? unit, string? by, ReportService reports, CancellationToken ct) =>
        {
            if (!TryDay(from, out var first) || !TryDay(to, out var last))
            {
                return Invalid("from", "from and to are required, as YYYY-MM-DD");
            }

            var breakdown = ReportBreakdown.Agency;
            if (by is not null && (!Enum.TryParse(by, ignoreCase: true, out breakdown) || !Enum.IsDefined(breakdown)))
            {
                return Invalid("by", $"by must be agency, tier, day or month, not '{by}'");
            }

            try
            {
                var report = await reports.ReportAsync(new ReportRequest(first, last, string.IsNullOrWhiteSpace(unit) ? null : unit.Trim(), breakdown), ct);
                return Results.Json(ReportJson.View(report));
            }
            catch (ExchangeException refused)
            {
                var status = refused.Error.Code == HubErrorCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
                return Results.Json(new { error = refused.Error.Code, field = refused.Error.Field, message = refused.Error.Message, messageVi = refused.Error.MessageVi }, statusCode: status);
            }
        });
        return endpoints;
    }

    private static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static IResult Invalid(string field, string message)
    {
        var error = ExchangeException.Of(HubErrorCode.InvalidRequest, field, message).Error;
        return Results.Json(new { error = error.Code, field = error.Field, message = error.Message, messageVi = error.MessageVi }, statusCode: StatusCodes.Status400BadRequest);
    }
}
