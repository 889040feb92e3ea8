using System.Text.Json;
using Lgsp.Edxml.Errors;
using StatusCodes = Microsoft.AspNetCore.Http.StatusCodes;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>What an axis operation answers, complete before anything is written: the HTTP status, the
/// content type (none for an empty body) and the body.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The content type; null leaves it unset.</param>
/// <param name="Body">The exact body.</param>
public sealed record AxisAnswer(int StatusCode, string? ContentType, byte[] Body)
{
    /// <summary>HTTP 200 with a success envelope followed by the keys <paramref name="body"/> writes.</summary>
    public static AxisAnswer Ok(Action<Utf8JsonWriter>? body = null) => new(StatusCodes.Status200OK, AxisResponse.ContentType, AxisResponse.Ok(body));

    /// <summary>A FAIL envelope (<see cref="AxisResponse.Fail"/>) with the given HTTP status.</summary>
    public static AxisAnswer Fail(EdxmlError error, int statusCode, bool withDocId = false) =>
        new(statusCode, AxisResponse.ContentType, AxisResponse.Fail(error, withDocId));

    /// <summary>HTTP 200 with a stored package as the body, byte for byte.</summary>
    public static AxisAnswer Package(byte[] package) => new(StatusCodes.Status200OK, "application/xml", package);

    /// <summary>A status without a body.</summary>
    public static AxisAnswer Empty(int statusCode) => new(statusCode, null, []);

    /// <summary>Writes the answer.</summary>
    public async Task WriteAsync(HttpResponse response, CancellationToken ct)
    {
        response.StatusCode = StatusCode;
        if (ContentType is not null)
        {
            response.ContentType = ContentType;
        }

        response.ContentLength = Body.Length;
        if (Body.Length > 0)
        {
            await response.Body.WriteAsync(Body, ct);
        }
    }
}
