using System.Text.Json;
using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Storage;
using StatusCodes = Microsoft.AspNetCore.Http.StatusCodes;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>What an axis operation answers, complete before anything is written: the HTTP status, the
/// content type (none for an empty body) and the body; for a package, the body is streamed from the
/// store as it is written (<see cref="Package"/>, <see cref="OkWithBase64"/>), its length known before.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The content type; null leaves it unset.</param>
/// <param name="Body">The exact body; for a streamed answer, what comes before the package.</param>
public sealed record AxisAnswer(int StatusCode, string? ContentType, byte[] Body)
{
    // A package written between Body and Tail, as itself or as base64; disposed once written.
    private PackageBody? Streamed { get; init; }

    private bool StreamedAsBase64 { get; init; }

    private byte[] Tail { get; init; } = [];

    /// <summary>HTTP 200 with a success envelope followed by the keys <paramref name="body"/> writes.</summary>
    public static AxisAnswer Ok(Action<Utf8JsonWriter>? body = null) => new(StatusCodes.Status200OK, AxisResponse.ContentType, AxisResponse.Ok(body));

    /// <summary>HTTP 200 with a success envelope whose first key, <paramref name="key"/>, is the base64
    /// of <paramref name="package"/>, encoded as it is read, followed by the keys <paramref name="after"/>
    /// writes: the same bytes as <see cref="Ok"/> with <c>WriteBase64String(key, bytes)</c> first.</summary>
    public static AxisAnswer OkWithBase64(string key, PackageBody package, Action<Utf8JsonWriter>? after = null)
    {
        var (head, tail) = AxisResponse.OkAround(key, after);
        return new(StatusCodes.Status200OK, AxisResponse.ContentType, head) { Streamed = package, StreamedAsBase64 = true, Tail = tail };
    }

    /// <summary>A FAIL envelope (<see cref="AxisResponse.Fail"/>) with the given HTTP status.</summary>
    public static AxisAnswer Fail(EdxmlError error, int statusCode, bool withDocId = false) =>
        new(statusCode, AxisResponse.ContentType, AxisResponse.Fail(error, withDocId));

    /// <summary>HTTP 200 with a stored package as the body, byte for byte, streamed.</summary>
    public static AxisAnswer Package(PackageBody package) => new(StatusCodes.Status200OK, "application/xml", []) { Streamed = package };

    /// <summary>A status without a body.</summary>
    public static AxisAnswer Empty(int statusCode) => new(statusCode, null, []);

    /// <summary>Writes the answer (and disposes a streamed package). A failure while a package is
    /// streamed leaves the response short of its <c>Content-Length</c>: the caller aborts the connection.</summary>
    public async Task WriteAsync(HttpResponse response, CancellationToken ct)
    {
        try
        {
            response.StatusCode = StatusCode;
            if (ContentType is not null)
            {
                response.ContentType = ContentType;
            }

            var streamed = Streamed is null ? 0 : StreamedAsBase64 ? Streamed.Base64Length : Streamed.Length;
            response.ContentLength = Body.Length + streamed + Tail.Length;
            if (Body.Length > 0)
            {
                await response.Body.WriteAsync(Body, ct);
            }

            if (Streamed is not null)
            {
                await (StreamedAsBase64
                    ? Streamed.WriteBase64ToAsync(response.Body, ct)
                    : Streamed.Content.CopyToAsync(response.Body, PackageBody.Base64ChunkBytes, ct));
            }

            if (Tail.Length > 0)
            {
                await response.Body.WriteAsync(Tail, ct);
            }
        }
        finally
        {
            if (Streamed is not null)
            {
                await Streamed.DisposeAsync();
            }
        }
    }
}
