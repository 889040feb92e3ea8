using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Axis;

namespace Lgsp.Server.Outbound.Links;

/// <summary>How a call to another hub ended.</summary>
public enum AxisAnswerKind
{
    /// <summary><c>status</c> OK, <c>ErrorCode</c> 0.</summary>
    Ok,

    /// <summary>The hub answered FAIL with one of its refusal codes: asking again will not help.</summary>
    Refused,

    /// <summary>HTTP 401: the hub does not accept our system id and secret.</summary>
    Unauthorized,

    /// <summary>No usable answer: network error, timeout, HTTP 5xx, an internal error, an answer that
    /// does not parse. Worth trying again later.</summary>
    Unavailable,

    /// <summary>The hub record lacks what a call needs (base URL, system id, sealed secret), or the
    /// secret does not open with this hub's key.</summary>
    NotConfigured,
}

/// <summary>Another hub's answer to one axis-protocol call.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="HttpStatus">The HTTP status; 0 when there was no answer.</param>
/// <param name="ErrorCode">The envelope's <c>ErrorCode</c> ("0" on success; empty when none).</param>
/// <param name="ErrorField">The envelope's <c>ErrorField</c>, when given.</param>
/// <param name="ErrorDesc">The envelope's <c>ErrorDesc</c>, or what went wrong on our side.</param>
/// <param name="Body">The answer's JSON object; null when it did not parse.</param>
public sealed record AxisAnswer(AxisAnswerKind Kind, int HttpStatus, string ErrorCode, string? ErrorField, string ErrorDesc, JsonElement? Body)
{
    /// <summary>A top-level value as text (numbers and booleans as their JSON text); null when absent
    /// or JSON null.</summary>
    public string? Text(string name) =>
        Body is { } body && body.TryGetProperty(name, out var value) ? AxisJson.AsText(value) : null;

    /// <summary>The items of the <c>data</c> array; empty when there is none.</summary>
    public IReadOnlyList<JsonElement> Items =>
        Body is { } body && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? [.. data.EnumerateArray()] : [];

    /// <summary>One line for logs and delivery errors.</summary>
    public string Describe() => Kind switch
    {
        AxisAnswerKind.Ok => "OK",
        AxisAnswerKind.Refused => $"{ErrorCode} {ErrorField}: {ErrorDesc}",
        AxisAnswerKind.Unauthorized => $"HTTP 401 {ErrorCode}: {ErrorDesc}",
        _ => ErrorDesc,
    };
}

/// <summary>
/// The axis protocol (docs/axis.md) spoken as a client, towards another hub: every request signed with
/// the <c>XroadVnpt-*</c> HMAC scheme (<see cref="AxisSignature"/>) under the system id and secret of the
/// hub record, with a fresh timestamp each time. <c>sendEdoc</c> posts the stored bytes unchanged, then
/// CRLF, as the national SDK does, with the SDK's unpadded <c>hash-file</c> so that the national axis
/// itself accepts it too.
/// </summary>
/// <remarks>Answers are parsed tolerantly (numbers where strings are expected, extra keys). Never throws
/// for the other hub's failures or the network's: they are <see cref="AxisAnswer"/>s; cancellation of
/// <c>ct</c> throws <see cref="OperationCanceledException"/>. Thread safe.</remarks>
public sealed class AxisClient(HttpClient http, SecretBox secrets, TimeProvider clock)
{
    /// <summary>The named HttpClient.</summary>
    public const string ClientName = "axis";

    /// <summary>The <c>messagetype</c> of documents.</summary>
    public const string Edoc = "edoc";

    /// <summary>The <c>messagetype</c> of statuses.</summary>
    public const string Status = "status";

    /// <summary>Signed parameter: the hubs a forwarded package passed through, this one last, comma-separated.</summary>
    public const string HopsParameter = "lgsp-hops";

    /// <summary>Signed parameter: lower-case hex SHA-256 of the forwarding hub's receipt.</summary>
    public const string PreviousReceiptParameter = "lgsp-prev-receipt";

    /// <summary>The <c>getSentEdocList</c> extension: the first package id a hub caller's list starts from.</summary>
    public const string FromParameter = "lgsp-from";

    /// <summary>The signed parameter saying the forwarding hub judged the package under the legacy
    /// policy (<c>legacy</c>); the next hub acts on it only over an <c>inherit</c> link (ADR 0017).</summary>
    public const string PreviousPolicyParameter = "lgsp-prev-policy";

    private const string ServiceType = "eDoc";

    /// <summary>Sends a package (<c>sendEdoc</c>) for one or more recipients behind that hub, streamed from <paramref name="file"/>.</summary>
    /// <param name="hub">The hub to send to.</param>
    /// <param name="file">The package's exact bytes, read once as they are sent.</param>
    /// <param name="fileSha256">The bytes' SHA-256, as stored when they were accepted (the signed <c>hash-file</c>).</param>
    /// <param name="messageType"><see cref="Edoc"/> or <see cref="Status"/>.</param>
    /// <param name="from">The sending agency (<c>from</c>).</param>
    /// <param name="to">The recipients the hub is asked to route (<c>to</c>, sent as a JSON array): every
    /// code of the deliveries that go there in this upload (ADR 0017).</param>
    /// <param name="hops">The hubs the package passed through, this one last.</param>
    /// <param name="previousReceiptSha256">Hex SHA-256 of this hub's receipt, if any.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="legacy">This hub judged the package under the legacy policy (sent as
    /// <see cref="PreviousPolicyParameter"/>).</param>
    public Task<AxisAnswer> SendEdocAsync(HubLink hub, PackageBody file, ReadOnlySpan<byte> fileSha256, string messageType, string from, IReadOnlyList<string> to,
        IReadOnlyList<string> hops, string? previousReceiptSha256, CancellationToken ct = default, bool legacy = false)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("from", from),
            new("to", JsonSerializer.Serialize(to)),
            new("servicetype", ServiceType),
            new("messagetype", messageType),
            new("hash-file", AxisSignature.FileHashOfDigest(fileSha256, padded: false)),
            new(HopsParameter, string.Join(',', hops)),
        };
        if (previousReceiptSha256 is not null)
        {
            parameters.Add(new(PreviousReceiptParameter, previousReceiptSha256));
        }

        // Said only of a legacy verdict: a strict one needs no inheriting, and an older peer sees nothing new.
        if (legacy)
        {
            parameters.Add(new(PreviousPolicyParameter, "legacy"));
        }

        return CallAsync(hub, "sendEdoc", "application/octet-stream", parameters, new FileWithLineEnd(file), ct);
    }

    /// <summary>The packages of one message type waiting for this hub at <paramref name="hub"/>
    /// (<c>getReceivedEdocList</c>).</summary>
    public Task<AxisAnswer> GetReceivedEdocListAsync(HubLink hub, string messageType, CancellationToken ct = default) =>
        CallAsync(hub, "getReceivedEdocList", "application/json", [new("servicetype", ServiceType), new("messagetype", messageType)], [], ct);

    /// <summary>One waiting package (<c>getEdoc</c>): <c>data</c> is its base64, <c>Receipt</c> the other
    /// hub's receipt (base64), <c>Hops</c> the hubs it passed through, that hub included.</summary>
    public Task<AxisAnswer> GetEdocAsync(HubLink hub, string docId, CancellationToken ct = default) =>
        CallAsync(hub, "getEdoc", "application/json", [new("docId", docId)], "{}"u8.ToArray(), ct);

    /// <summary>Reports what became of a pulled package (<c>updateStatus</c> <c>done</c>, <c>fail</c> or
    /// <c>processing</c>); <paramref name="reason"/> travels as the signed parameter <c>reason</c>.</summary>
    public Task<AxisAnswer> UpdateStatusAsync(HubLink hub, string docId, string status, string? reason = null, CancellationToken ct = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("docId", docId), new("status", status) };
        if (reason is not null)
        {
            parameters.Add(new("reason", AxisJson.Ascii(reason)));
        }

        return CallAsync(hub, "updateStatus", "application/json", parameters, "{}"u8.ToArray(), ct);
    }

    /// <summary>What this hub sent through <paramref name="hub"/> and its state there (<c>getSentEdocList</c>);
    /// with <paramref name="from"/> (signed parameter <c>lgsp-from</c>), the packages from that id of
    /// <paramref name="hub"/>'s on, oldest first.</summary>
    public Task<AxisAnswer> GetSentEdocListAsync(HubLink hub, string messageType, string? docId = null, long? from = null, CancellationToken ct = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("servicetype", ServiceType), new("messagetype", messageType) };
        if (docId is not null)
        {
            parameters.Add(new("docId", docId));
        }

        if (from is { } watermark)
        {
            parameters.Add(new(FromParameter, watermark.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return CallAsync(hub, "getSentEdocList", "application/json", parameters, [], ct);
    }

    /// <summary>The other hub's directory feed, tombstones included (<c>getSynchronizeUnit</c>).</summary>
    public Task<AxisAnswer> GetSynchronizeUnitAsync(HubLink hub, CancellationToken ct = default) =>
        CallAsync(hub, "getSynchronizeUnit", "application/json", [], [], ct);

    /// <summary>The other hub's agencies (<c>getAgenciesList</c>).</summary>
    public Task<AxisAnswer> GetAgenciesListAsync(HubLink hub, CancellationToken ct = default) =>
        CallAsync(hub, "getAgenciesList", "application/json", [], [], ct);

    /// <summary>Asks the parent hub to witness this hub's signed checkpoint (<c>witnessCheckpoint</c>,
    /// docs/audit.md): <c>Witness</c> in the answer is the base64 of its countersignature.</summary>
    public Task<AxisAnswer> WitnessCheckpointAsync(HubLink hub, byte[] checkpoint, CancellationToken ct = default) =>
        CallAsync(hub, AxisEndpoint.WitnessCheckpoint, "application/xml", [], checkpoint, ct);

    /// <summary>Asks the parent hub for the countersignatures it issued to this hub for checkpoints ending
    /// after <paramref name="afterSeq"/> (<c>getCountersignatures</c>, docs/audit.md): <c>data[]</c> of
    /// {<c>lastSeq</c>, <c>witness</c>}, <c>more</c> when there are more.</summary>
    public Task<AxisAnswer> GetCountersignaturesAsync(HubLink hub, long afterSeq, CancellationToken ct = default) =>
        CallAsync(hub, AxisEndpoint.GetCountersignatures, "application/json",
            [new("afterSeq", afterSeq.ToString(CultureInfo.InvariantCulture))], [], ct);

    /// <summary>Reports far outcomes to the parent hub (<c>reportOutcomes</c>, ADR 0020): <paramref name="body"/>
    /// is the JSON report, bound by its SHA-256 in the signed parameter <c>lgsp-body-sha256</c>.</summary>
    public Task<AxisAnswer> ReportOutcomesAsync(HubLink hub, byte[] body, CancellationToken ct = default) =>
        CallAsync(hub, AxisEndpoint.ReportOutcomes, "application/json",
            [new(Inbound.Axis.Operations.ReportOutcomesOperation.BodyHashParameter, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)))], body, ct);

    private Task<AxisAnswer> CallAsync(HubLink hub, string operation, string contentType, IEnumerable<KeyValuePair<string, string>> parameters,
        byte[] body, CancellationToken ct) =>
        CallAsync(hub, operation, contentType, parameters, new ByteArrayContent(body), ct);

    // Disposes the content.
    private async Task<AxisAnswer> CallAsync(HubLink hub, string operation, string contentType, IEnumerable<KeyValuePair<string, string>> parameters,
        HttpContent body, CancellationToken ct)
    {
        using var content = body;
        if (hub.BaseUrl is null || hub.SystemId is null || hub.SealedSecret is null)
        {
            return Fail(AxisAnswerKind.NotConfigured, $"hub {hub.Id} has no base URL, system id or secret to call it with");
        }

        string secret;
        try
        {
            secret = secrets.Open(hub.SealedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return Fail(AxisAnswerKind.NotConfigured, $"the secret for hub {hub.Id} does not open with this hub's secret key");
        }

        // The SDK puts the timestamp and the system id first, then Content-Type, then the call's own keys.
        var signed = AxisSignature.Sign(secret,
        [
            new(AxisSignature.TimestampParameter, AxisSignature.FormatTimestamp(clock.GetLocalNow().DateTime)),
            new(AxisSignature.SystemIdParameter, hub.SystemId),
            new(AxisSignature.ContentTypeParameter, contentType),
            .. parameters,
        ]);

        // The SDK's URL is the plain concatenation "{endpoint}/{operation}".
        var url = new Uri(hub.BaseUrl.ToString().TrimEnd('/') + "/" + operation);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        foreach (var (name, value) in signed.Headers)
        {
            if (name == AxisSignature.ContentTypeParameter)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("XroadVnpt-version", "3.0.201608");
        request.Headers.TryAddWithoutValidation("User-Agent", "lgsp-hub");

        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsByteArrayAsync(ct);
            return Interpret((int)response.StatusCode, text, url);
        }
        catch (HttpRequestException ex)
        {
            return Fail(AxisAnswerKind.Unavailable, $"{url}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return Fail(AxisAnswerKind.Unavailable, $"{url}: timed out");
        }
    }

    private static AxisAnswer Interpret(int status, byte[] text, Uri url)
    {
        JsonElement? body = null;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                body = document.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            // Not JSON: judged by the HTTP status alone below.
        }

        string? Get(string name) => body is { } b && b.TryGetProperty(name, out var v) ? AxisJson.AsText(v) : null;
        var envelopeStatus = Get("status");
        var code = Get("ErrorCode") ?? string.Empty;
        var field = Get("ErrorField");
        var desc = Get("ErrorDesc") ?? string.Empty;

        if (status == (int)HttpStatusCode.Unauthorized)
        {
            return new AxisAnswer(AxisAnswerKind.Unauthorized, status, code, field, desc.Length > 0 ? desc : "unauthorized", body);
        }

        if (status >= 500 || body is null || envelopeStatus is null)
        {
            var why = body is null ? "an answer that is not a JSON object" : envelopeStatus is null ? "an answer without a status" : desc;
            return new AxisAnswer(AxisAnswerKind.Unavailable, status, code, field, $"{url}: HTTP {status}, {why}", body);
        }

        if (string.Equals(envelopeStatus, "OK", StringComparison.OrdinalIgnoreCase) && code == "0")
        {
            return new AxisAnswer(AxisAnswerKind.Ok, status, code, field, desc, body);
        }

        // An internal error on the other side may pass; anything else it names is its refusal.
        var kind = code is "" or "InternalError" ? AxisAnswerKind.Unavailable : AxisAnswerKind.Refused;
        return new AxisAnswer(kind, status, code, field, desc, body);
    }

    private static AxisAnswer Fail(AxisAnswerKind kind, string why) => new(kind, 0, string.Empty, null, why, null);
}

/// <summary>Reading the axis protocol's loosely typed JSON.</summary>
internal static class AxisJson
{
    /// <summary>Strings as they are, numbers and booleans as their JSON text, null as null (the SDK's
    /// <c>getAsString</c>).</summary>
    public static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array when value.GetArrayLength() == 1 => AsText(value[0]),
        _ => value.GetRawText(),
    };

    /// <summary>A value of an item, or null.</summary>
    public static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? AsText(value) : null;

    /// <summary>Header values must be ASCII to verify on every stack (VXP.md §2.4): other characters become '?'.</summary>
    public static string Ascii(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= ' ' and < (char)0x7f ? source[i] : '?';
            }
        });

    /// <summary>An integer from a number or numeric string.</summary>
    public static int? Int(JsonElement item, string name) =>
        int.TryParse(Text(item, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}

/// <summary>The SDK's <c>sendEdoc</c> body: the file, then CRLF; streamed, with its length known.</summary>
internal sealed class FileWithLineEnd(PackageBody file) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await file.Content.CopyToAsync(stream, PackageBody.Base64ChunkBytes, cancellationToken);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = file.Length + 2;
        return true;
    }
}
