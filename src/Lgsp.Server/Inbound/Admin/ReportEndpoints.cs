using System.Globalization;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Export;
using Lgsp.Server.Observability;

namespace Lgsp.Server.Inbound.Admin;

/// <summary>The reports API for upward reporting systems: <c>GET /admin/api/reports?from=YYYY-MM-DD&amp;to=YYYY-MM-DD[&amp;unit=CODE][&amp;by=agency|tier|day|month]</c>,
/// the same figures as <c>lgsp report --format json</c> (docs/api.md, docs/reports.md). Behind the
/// administrator's login (the gate on <c>/admin</c>).</summary>
public static class ReportEndpoints
{
    private const string Operation = "admin.reports";

    /// <summary>Maps the reports API.</summary>
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/api/reports", async (HttpContext context, string? from, string? to, string? unit, string? by, ReportService reports,
            CancellationToken ct) =>
        {
            try
            {
                var first = Day(from, "from");
                var last = Day(to, "to");
                var breakdown = ReportBreakdown.Agency;
                if (by is not null && (!Enum.TryParse(by, ignoreCase: true, out breakdown) || !Enum.IsDefined(breakdown)))
                {
                    throw ExchangeException.Of(HubErrorCode.InvalidRequest, "by", $"by must be agency, tier, day or month, not '{by}'");
                }

                var report = await reports.ReportAsync(new ReportRequest(first, last, string.IsNullOrWhiteSpace(unit) ? null : unit.Trim(), breakdown), ct);
                return Results.Json(ReportJson.View(report));
            }
            catch (ExchangeException refused)
            {
                // Logged once and counted, as every refusal of the admin API.
                var error = refused.Error;
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReportEndpoints))
                    .LogWarning("{Operation} refused: {Code} {Field}: {Message}", Operation, error.Code, error.Field, error.Message);
                context.RequestServices.GetRequiredService<HubMetrics>().Refused(Operation, error.Code);
                var status = error.Code == HubErrorCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
                return Results.Json(new { code = error.Code, field = error.Field, message = error.Message, messageVi = error.MessageVi }, statusCode: status);
            }
        });
        return endpoints;
    }

    private static DateOnly Day(string? text, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw ExchangeException.Of(HubErrorCode.InvalidRequest, field, $"{field} is required, as YYYY-MM-DD");
}
