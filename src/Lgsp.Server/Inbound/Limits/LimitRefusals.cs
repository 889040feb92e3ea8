using System.Collections.Concurrent;
using System.Text.Json;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Observability;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Limits;

/// <summary>Answers a request a limit holds off: HTTP 429 (503 for the memory budget) with <c>Retry-After</c>, in the door's own
/// error shape (a SOAP fault, the axis FAIL envelope, the admin API's JSON error, plain text for the
/// console); counted by door and
/// limit (never by caller) and logged once per door, limit and minute with the number held off since.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class LimitRefusals(HubMetrics metrics, TimeProvider clock, IOptions<HubOptions> options, ILogger<LimitRefusals> log)
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Door, string Limit), LogWindow> _logged = new();
    private readonly PathString _axis = new("/" + options.Value.Axis.BasePath.Trim('/'));

    /// <summary>The door a request is for: <c>soap</c>, <c>axis</c>, <c>admin</c>, <c>console</c> (its
    /// sign-in included), or null for the rest (health, metrics), which no limit applies to.</summary>
    public string? DoorOf(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/soap", StringComparison.OrdinalIgnoreCase))
        {
            return "soap";
        }

        if (path.StartsWithSegments(_axis, StringComparison.OrdinalIgnoreCase))
        {
            return "axis";
        }

        if (path.StartsWithSegments("/console", StringComparison.OrdinalIgnoreCase))
        {
            return "console";
        }

        return path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase)
            ? "admin"
            : null;
    }

    /// <summary>Writes the 429 (or 503) answer for <paramref name="limited"/>, counts and (at most once a minute per
    /// door and limit) logs it.</summary>
    public async Task WriteAsync(HttpContext context, LimitedException limited)
    {
        var door = DoorOf(context) ?? "other";
        metrics.Limited(door, limited.Limit);
        Note(door, limited.Limit, context);
        if (context.Response.HasStarted)
        {
            return;
        }

        var error = LimitErrors.Create(limited.Code, limited.RetryAfter);
        var response = context.Response;
        response.StatusCode = limited.Status;
        response.Headers.RetryAfter = LimitErrors.Seconds(limited.RetryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (door)
        {
            case "soap":
                var version = SoapVersions.ReplyVersion(context.Request.ContentType);
                response.ContentType = SoapResponseWriter.ContentType(version);
                SoapResponseWriter.WriteFault(response.BodyWriter, version, error, clientFault: true);
                await response.BodyWriter.FlushAsync(context.RequestAborted);
                break;
            case "axis":
                // sendEdoc's answer always carries "DocId" (empty on a refusal): the SDK's parser needs the key.
                var sendEdoc = context.Request.Path.Value?.TrimEnd('/').EndsWith("/sendEdoc", StringComparison.OrdinalIgnoreCase) == true;
                var answer = AxisAnswer.Fail(error, limited.Status, withDocId: sendEdoc);
                await answer.WriteAsync(response, context.RequestAborted);
                break;
            case "console":
                // A person reads this one, in a browser: both sentences, Vietnamese first.
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(error.MessageVi + "\n" + error.Message + "\n", context.RequestAborted);
                break;
            default:
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(response.Body, new { code = error.Code, field = error.Field, message = error.Message, messageVi = error.MessageVi },
                    cancellationToken: context.RequestAborted);
                break;
        }

        if (door is "soap" or "axis")
        {
            await DrainAsync(context);
        }
    }

    // A package sender (the SDK, a WCF client) sends its whole body before it reads an answer; were the
    // unread rest left to the server's short drain, a slow upload would end in a reset instead of this
    // answer. The rest is read and dropped (nothing kept): the body's size limit and the minimum data
    // rate bound how long that takes.
    private static async Task DrainAsync(HttpContext context)
    {
        if (context.Request.ContentLength == 0)
        {
            return;
        }

        try
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            // Past the memory budget's own wrapper: dropped bytes need no reservation.
            var body = context.Request.Body is MemoryAdmission.ReservingStream reserving ? reserving.Inner : context.Request.Body;
            await body.CopyToAsync(Stream.Null, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException or InvalidOperationException or LimitedException)
        {
            // The caller went away, sent too slowly or too much: its answer is already written.
        }
    }

    private void Note(string door, string limit, HttpContext context)
    {
        var now = clock.GetUtcNow();
        var window = _logged.GetOrAdd((door, limit), _ => new LogWindow());
        int heldOff;
        lock (window)
        {
            window.HeldOff++;
            if (now < window.NextLogAt)
            {
                return;
            }

            heldOff = window.HeldOff;
            window.HeldOff = 0;
            window.NextLogAt = now + LogEvery;
        }

        // The address is the operator's lead to a flood; the client system is not named (it may be a guess).
        log.LogWarning("Limit {Limit} on the {Door} door reached: {HeldOff} request(s) held off since the last report; latest from {Address}",
            limit, door, heldOff, context.Connection.RemoteIpAddress);
    }

    private sealed class LogWindow
    {
        public int HeldOff;
        public DateTimeOffset NextLogAt = DateTimeOffset.MinValue;
    }
}
