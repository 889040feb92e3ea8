using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Observability;

namespace Lgsp.Server.Inbound.Admin;

/// <summary>The administrators' delivery API (JSON, behind the <c>/admin</c> HTTP Basic gate): list
/// deliveries with their last error, error code, attempts and next attempt; replay one failed
/// delivery, or every failed delivery a filter selects, with a dry run. See docs/api.md, "Admin API".</summary>
public static class ReplayEndpoints
{
    /// <summary>Where the delivery API lives.</summary>
    public const string Prefix = "/admin/api/deliveries";

    private const int DefaultMax = 100;

    private const string ContentTypeField = "Content-Type";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Maps <c>GET /admin/api/deliveries</c>, <c>POST /admin/api/deliveries/{id}/replay</c> and
    /// <c>POST /admin/api/deliveries/replay</c>.</summary>
    public static IEndpointRouteBuilder MapReplayEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix);
        group.MapGet("", (HttpContext context, CancellationToken ct) => Answer(context, "admin.deliveries", () => ListAsync(context, ct)));
        group.MapPost("/{id:long}/replay", (HttpContext context, long id, CancellationToken ct) => Answer(context, "admin.replay", () => ReplayOneAsync(context, id, ct)));
        group.MapPost("/replay", (HttpContext context, CancellationToken ct) => Answer(context, "admin.replay", () => ReplayManyAsync(context, ct)));
        return app;
    }

    /// <summary>The body of a single replay.</summary>
    /// <param name="Reason">Why (mandatory).</param>
    /// <param name="DryRun">Only say what would be done.</param>
    public sealed record ReplayOneBody(string? Reason, bool DryRun = false);

    /// <summary>The body of a bulk replay of failed deliveries.</summary>
    /// <param name="Reason">Why (mandatory).</param>
    /// <param name="DryRun">Only list what would be replayed.</param>
    /// <param name="Recipient">Only deliveries to this agency.</param>
    /// <param name="Hub">Only deliveries forwarded to this hub.</param>
    /// <param name="Since">Only deliveries that failed at or after this time.</param>
    /// <param name="Error">Only deliveries whose last error has this code.</param>
    public sealed record ReplayManyBody(string? Reason, bool DryRun = false, string? Recipient = null, string? Hub = null, DateTimeOffset? Since = null, string? Error = null);

    private static async Task<IResult> ListAsync(HttpContext context, CancellationToken ct)
    {
        var query = context.Request.Query;
        DeliveryState? state = null;
        if (Text(query["state"]) is { } word)
        {
            state = Enum.TryParse<DeliveryState>(word, ignoreCase: true, out var parsed) && !int.TryParse(word, out _)
                ? parsed
                : throw Invalid("state", $"'{word}' is not a delivery state (pending, retrying, delivered, acknowledged, failed)");
        }

        DateTimeOffset? since = null;
        if (Text(query["since"]) is { } t)
        {
            since = DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw Invalid("since", $"'{t}' is not an ISO 8601 time");
        }

        var max = DefaultMax;
        if (Text(query["max"]) is { } m && (!int.TryParse(m, out max) || max < 1))
        {
            throw Invalid("max", $"'{m}' is not a positive number");
        }

        var filter = new DeliveryFilter { State = state, Recipient = Text(query["recipient"]), Hub = Text(query["hub"]), FailedSince = since, ErrorCode = Text(query["error"]) };
        var deliveries = await context.RequestServices.GetRequiredService<IPackageStore>().ListDeliveriesAsync(filter, max, ct);
        return Results.Json(new { deliveries }, Json);
    }

    private static async Task<IResult> ReplayOneAsync(HttpContext context, long id, CancellationToken ct)
    {
        var body = await ReadAsync<ReplayOneBody>(context, ct);
        var result = await RunAsync(context, ReplayRequest.Single(id, Actor(context), body.Reason ?? "", body.DryRun), ct);
        if (result.Items is [{ Outcome: ReplayOutcome.NotFound }])
        {
            throw new ExchangeException(HubErrors.Create(HubErrorCode.NotFound, "id", "id", id));
        }

        return Results.Json(Summary(result), Json);
    }

    private static async Task<IResult> ReplayManyAsync(HttpContext context, CancellationToken ct)
    {
        var body = await ReadAsync<ReplayManyBody>(context, ct);
        var filter = new ReplayFilter(Text(body.Recipient), Text(body.Hub), body.Since, Text(body.Error)?.ToLowerInvariant());
        var result = await RunAsync(context, ReplayRequest.Failed(filter, Actor(context), body.Reason ?? "", body.DryRun), ct);
        return Results.Json(Summary(result), Json);
    }

    private static object Summary(ReplayResult result) => new
    {
        dryRun = result.DryRun,
        replayed = result.Replayed,
        skipped = result.Skipped,
        items = result.Items.Select(i => new
        {
            deliveryId = i.DeliveryId,
            outcome = i.Outcome,
            message = i.Explanation,
            newState = i.NewState,
            delivery = i.Delivery,
        }),
    };

    /// <summary>Runs an endpoint; a refusal becomes 400 (404 for an unknown id) with one precise error,
    /// logged and counted.</summary>
    private static async Task<IResult> Answer(HttpContext context, string operation, Func<Task<IResult>> endpoint)
    {
        try
        {
            return await endpoint();
        }
        catch (ExchangeException ex)
        {
            var error = ex.Error;
            Log(context).LogWarning("{Operation} refused: {Code} {Field}: {Message}", operation, error.Code, error.Field, error.Message);
            context.RequestServices.GetRequiredService<HubMetrics>().Refused(operation, error.Code);
            var status = error.Code == HubErrorCode.NotFound ? StatusCodes.Status404NotFound
                : error.Field == ContentTypeField ? StatusCodes.Status415UnsupportedMediaType
                : StatusCodes.Status400BadRequest;
            return Results.Json(new { code = error.Code, field = error.Field, message = error.Message, messageVi = error.MessageVi }, Json, statusCode: status);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpContext context, CancellationToken ct)
    {
        // A browser sends text/plain or a form across sites without asking first; requiring JSON makes a
        // forged cross-site POST need a preflight, which the hub never answers.
        var contentType = context.Request.ContentType;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(ContentTypeField, $"the body must be application/json, not '{contentType}'");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, ct) ?? throw Invalid("body", "the body must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw Invalid("body", $"the body is not the expected JSON: {ex.Message}");
        }
    }

    private static async Task<ReplayResult> RunAsync(HttpContext context, ReplayRequest request, CancellationToken ct)
    {
        var result = await context.RequestServices.GetRequiredService<ReplayService>().RunAsync(request, ct: ct);
        if (!result.DryRun)
        {
            Log(context).LogInformation("{Actor} replayed {Replayed} deliveries ({Skipped} skipped) because: {Reason}", request.Actor, result.Replayed, result.Skipped, request.Reason);
        }

        return result;
    }

    private static ILogger Log(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReplayEndpoints));

    // The gate has checked the credentials; the ledger records the administrator's user name, or the
    // client system whose gateway token it admitted.
    private static string Actor(HttpContext context) => AdminGate.ActorOf(context);

    private static ExchangeException Invalid(string field, string why) => new(HubErrors.Create(HubErrorCode.InvalidRequest, field, why));

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
