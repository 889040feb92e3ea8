using System.Text.Json;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Observability;

namespace Lgsp.Server.Inbound.Auth;

/// <summary>Answers a refused bearer token in the door's own error shape (a SOAP fault, the admin API's
/// JSON error) with its status (401, or 403 for <see cref="TokenErrors.AdminRightRequired"/>) and
/// <c>WWW-Authenticate: Bearer …</c>; counts it by door and reason and logs it once, with the reason,
/// the address and the detail (never the token).</summary>
/// <remarks>Every refused token gets the same answer, whatever the reason: which check failed is for the
/// operator, not the caller. Thread safe.</remarks>
public sealed class TokenRefusals(LimitRefusals doors, HubMetrics metrics, ILogger<TokenRefusals> log)
{
    /// <summary>Writes the answer for <paramref name="refused"/>, counts and logs it.</summary>
    public async Task WriteAsync(HttpContext context, TokenRefusedException refused)
    {
        var door = doors.DoorOf(context) ?? "other";
        metrics.TokenRefused(door, refused.Reason);
        log.LogWarning("Bearer token refused on the {Door} door: {Reason} ({Detail}); from {Address}",
            door, refused.Reason, refused.Detail, context.Connection.RemoteIpAddress);
        if (context.Response.HasStarted)
        {
            return;
        }

        var error = TokenErrors.Create(refused.Code);
        var forbidden = refused.Code == TokenErrors.AdminRightRequired;
        var response = context.Response;
        response.StatusCode = forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = forbidden ? TokenErrors.AdminChallenge : TokenErrors.InvalidTokenChallenge;
        if (door == "soap")
        {
            var version = SoapVersions.ReplyVersion(context.Request.ContentType);
            response.ContentType = SoapResponseWriter.ContentType(version);
            SoapResponseWriter.WriteFault(response.BodyWriter, version, error, clientFault: true);
            await response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }

        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, new { code = error.Code, field = error.Field, message = error.Message, messageVi = error.MessageVi },
            cancellationToken: context.RequestAborted);
    }
}
