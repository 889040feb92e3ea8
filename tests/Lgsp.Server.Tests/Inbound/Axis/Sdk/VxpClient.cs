using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lgsp.Server.Tests.Inbound.Axis.Sdk;

/// <summary>
/// A client of the national axis protocol written from VXP.md alone, behaving as the Java SDK
/// SDKVXP-2.0.1 does; it shares no code with the server. One instance keeps one sticky header map in
/// Java <c>HashMap</c> order whose <c>timestamp</c> is frozen at construction (Q1); every call adds its
/// parameters and never removes any. The 12 HttpClient-stack operations send <c>Expect: 100-continue</c>
/// on <c>{}</c> bodies; <c>sendEdoc</c> sends the raw file plus CRLF with the SDK's unpadded hash-file.
/// Responses are parsed by the SDK's rules (§5).
/// </summary>
/// <remarks>Not thread safe (neither is the SDK's instance).</remarks>
public sealed class VxpClient : IDisposable
{
    private readonly string _endpoint;
    private readonly string _secret;
    private readonly JavaHashMap _headers = new();
    private readonly HttpClient _http;

    /// <param name="endpoint">The configured endpoint; the URL of an operation is <c>endpoint + "/" + op</c>.</param>
    /// <param name="systemId">The system id.</param>
    /// <param name="secret">Its secret, as typed.</param>
    /// <param name="constructedAt">The client's local time at construction (default: now).</param>
    /// <param name="headerEncoding">How header chars become bytes: UTF-8 (https, or http without a port),
    /// or Latin-1 for the SDK's low-byte behaviour on an explicit-port http endpoint (VXP.md §2.4).</param>
    public VxpClient(string endpoint, string systemId, string secret, DateTime? constructedAt = null, Encoding? headerEncoding = null)
    {
        _endpoint = endpoint;
        _secret = secret;
        var at = constructedAt ?? DateTime.Now;
        _headers.Put("timestamp", at.ToString("ddMMyyyy'T'HHmmss", CultureInfo.InvariantCulture) + "+" + at.Millisecond.ToString("0000", CultureInfo.InvariantCulture));
        _headers.Put("systemid", systemId);

        // UTF-8 header bytes, as the SDK's HttpClient sends them to an https endpoint or one without a port.
        _http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => headerEncoding ?? Encoding.UTF8, AutomaticDecompression = System.Net.DecompressionMethods.All })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>How a body travels (default: as one array); a test may pace it, say.</summary>
    public Func<byte[], HttpContent> BodyContent { get; init; } = body => new ByteArrayContent(body);

    /// <summary>How long one call may take (default 60 s).</summary>
    public TimeSpan Timeout
    {
        get => _http.Timeout;
        init => _http.Timeout = value;
    }

    /// <summary>The names of the sticky header map, in iteration order.</summary>
    public IReadOnlyList<string> HeaderOrder => _headers.Entries.Select(e => e.Key).ToList();

    /// <summary>The last request's wire headers, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> LastHeaders { get; private set; } = [];

    /// <summary>Sends a package (edXML file) as <c>sendEdoc</c>.</summary>
    public async Task<VxpResult> SendEdocAsync(string json, byte[] file)
    {
        AddCallerKeys(json, toAsJsonText: true);
        _headers.Put("hash-file", UnpaddedSha256(file));
        _headers.Put("Content-Type", "application/octet-stream");
        var body = new byte[file.Length + 2];
        file.CopyTo(body, 0);
        body[^2] = (byte)'\r';
        body[^1] = (byte)'\n';
        var response = await SendAsync(HttpMethod.Post, "sendEdoc", body, expectContinue: false);

        // HttpURLConnection: 200/201 read as US-ASCII, others from the error stream.
        var text = response.Status is 200 or 201 ? Encoding.ASCII.GetString(response.Body) : Encoding.UTF8.GetString(response.Body);
        return VxpResult.Parse(text, response, "DocId");
    }

    /// <summary><c>getReceivedEdocList</c>.</summary>
    public Task<VxpResult> GetReceivedEdocListAsync(string json) => JsonCallAsync("getReceivedEdocList", json, EmptyBody);

    /// <summary><c>getEdoc</c>.</summary>
    public Task<VxpResult> GetEdocAsync(string json) => JsonCallAsync("getEdoc", json, BraceBody);

    /// <summary><c>updateStatus</c>.</summary>
    public Task<VxpResult> UpdateStatusAsync(string json) => JsonCallAsync("updateStatus", json, BraceBody);

    /// <summary><c>getSentEdocList</c>.</summary>
    public Task<VxpResult> GetSentEdocListAsync(string json) => JsonCallAsync("getSentEdocList", json, EmptyBody);

    /// <summary><c>countReceiveEdoc</c> (POST although the SDK names GET).</summary>
    public Task<VxpResult> CountReceiveEdocAsync(string json) => JsonCallAsync("countReceiveEdoc", json, BraceBody);

    /// <summary><c>countReceiveStatus</c>.</summary>
    public Task<VxpResult> CountReceiveStatusAsync(string json) => JsonCallAsync("countReceiveStatus", json, BraceBody);

    /// <summary><c>getAgenciesList</c>.</summary>
    public Task<VxpResult> GetAgenciesListAsync(string json = "{}") => JsonCallAsync("getAgenciesList", json, EmptyBody);

    /// <summary><c>getAgenciesListQD20</c>.</summary>
    public Task<VxpResult> GetAgenciesListQD20Async(string json) => JsonCallAsync("getAgenciesListQD20", json, EmptyBody);

    /// <summary><c>getSynchronizeUnit</c>.</summary>
    public Task<VxpResult> GetSynchronizeUnitAsync(string json = "{}") => JsonCallAsync("getSynchronizeUnit", json, EmptyBody);

    /// <summary><c>registerAgency</c>: <paramref name="data"/> is sent verbatim as the (unsigned) body.</summary>
    public Task<VxpResult> RegisterAgencyAsync(string json, string data) => JsonCallAsync("registerAgency", json, Encoding.UTF8.GetBytes(data));

    /// <summary><c>deleteAgency</c>.</summary>
    public Task<VxpResult> DeleteAgencyAsync(string json) => JsonCallAsync("deleteAgency", json, BraceBody);

    /// <summary><c>downloadEdoc</c>: a GET; success is a non-empty body (the SDK saves it as the file).</summary>
    public async Task<VxpDownload> DownloadEdocAsync(string json)
    {
        AddCallerKeys(json, toAsJsonText: false);
        _headers.Put("Content-Type", "application/json");
        var response = await SendAsync(HttpMethod.Get, "downloadEdoc", null, expectContinue: false);
        return new VxpDownload(response.Body.Length > 0 ? "SUCCESS" : "FAIL", response.Body.Length > 0 ? "0" : "100", response.Body, response.Status);
    }

    /// <summary>Sends a request signed by this client to any path, with any method and content type
    /// (tests of routing and of what the server tolerates).</summary>
    public async Task<VxpResult> CallAsync(HttpMethod method, string operation, string json, byte[]? body, string contentType = "application/json")
    {
        AddCallerKeys(json, toAsJsonText: false);
        _headers.Put("Content-Type", contentType);
        var response = await SendAsync(method, operation, body, expectContinue: body is { Length: > 0 });
        return VxpResult.Parse(Encoding.UTF8.GetString(response.Body), response, null);
    }

    /// <summary>Not the SDK: a client that sends the file as the one part of a multipart/form-data body,
    /// with a padded hash-file.</summary>
    public async Task<VxpResult> SendEdocMultipartAsync(string json, byte[] file)
    {
        AddCallerKeys(json, toAsJsonText: true);
        _headers.Put("hash-file", Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant());
        var boundary = "----vxp" + Guid.NewGuid().ToString("N");
        _headers.Put("Content-Type", "multipart/form-data; boundary=" + boundary);
        var body = new List<byte>();
        body.AddRange(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file_doc\"; filename=\"edoc.edxml\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
        body.AddRange(file);
        body.AddRange(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"));
        var response = await SendAsync(HttpMethod.Post, "sendEdoc", [.. body], expectContinue: false);
        return VxpResult.Parse(Encoding.UTF8.GetString(response.Body), response, "DocId");
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static readonly byte[] EmptyBody = [];
    private static readonly byte[] BraceBody = "{}"u8.ToArray();

    private async Task<VxpResult> JsonCallAsync(string operation, string json, byte[] body)
    {
        AddCallerKeys(json, toAsJsonText: false);
        _headers.Put("Content-Type", "application/json");
        var response = await SendAsync(HttpMethod.Post, operation, body, expectContinue: body.Length > 0);
        return VxpResult.Parse(Encoding.UTF8.GetString(response.Body), response, null);
    }

    /// <summary>Each top-level key becomes a header (getAsString); for sendEdoc, <c>to</c> keeps its JSON text.</summary>
    private void AddCallerKeys(string json, bool toAsJsonText)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        foreach (var (key, value) in root)
        {
            string text;
            if (toAsJsonText && key == "to")
            {
                text = value!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            }
            else
            {
                text = value switch
                {
                    JsonArray { Count: 1 } single => single[0]!.GetValueKind() == JsonValueKind.String ? single[0]!.GetValue<string>() : single[0]!.ToJsonString(),
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    _ => value!.ToJsonString(),
                };
            }

            _headers.Put(key, text);
        }
    }

    private async Task<(int Status, byte[] Body, HttpResponseMessage Message)> SendAsync(HttpMethod method, string operation, byte[]? body, bool expectContinue)
    {
        var signHeader = new StringBuilder("{");
        var keys = new StringBuilder();
        var wire = new List<KeyValuePair<string, string>>();
        var first = true;
        foreach (var (name, value) in _headers.Entries)
        {
            wire.Add(new("XroadVnpt-" + name, value));
            signHeader.Append(first ? "" : ",").Append(GsonQuote("XroadVnpt-" + name)).Append(':').Append(GsonQuote(value));
            keys.Append(name).Append(';');
            first = false;
        }

        signHeader.Append('}');
        var mac = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), Encoding.UTF8.GetBytes(signHeader.ToString()))).ToLowerInvariant();
        wire.Add(new("XroadVnpt-sign-header-key", keys.ToString().TrimEnd(';')));
        wire.Add(new("XroadVnpt-sign-header", signHeader.ToString()));
        wire.Add(new("XroadVnpt-hash-header", mac));
        wire.Add(new("User-Agent", "JAVASDKAgent/1.0.0 XRoad/VPCP"));
        wire.Add(new("XroadVnpt-version", "3.0.201608"));
        LastHeaders = wire;

        using var request = new HttpRequestMessage(method, _endpoint + "/" + operation) { Version = new Version(1, 1) };
        foreach (var (name, value) in wire)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = BodyContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(_headers.Get("Content-Type")!);
        }

        request.Headers.ExpectContinue = expectContinue ? true : null;
        var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response);
    }

    /// <summary>Gson's string quoting without HTML escaping.</summary>
    private static string GsonQuote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\t' => "\\t",
                '\b' => "\\b",
                '\n' => "\\n",
                '\r' => "\\r",
                '\f' => "\\f",
                '\u2028' => "\\u2028",
                '\u2029' => "\\u2029",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    /// <summary><c>Integer.toHexString(b &amp; 0xFF)</c> per byte: no zero padding (Q5).</summary>
    private static string UnpaddedSha256(byte[] file) =>
        string.Concat(SHA256.HashData(file).Select(b => b.ToString("x", CultureInfo.InvariantCulture)));
}

/// <summary>An SDK result: the three envelope strings (all null when the SDK's parser would fail) and
/// what the operation reads, plus the raw answer for assertions.</summary>
public sealed class VxpResult
{
    /// <summary><c>status</c>.</summary>
    public string? Status { get; private init; }

    /// <summary><c>ErrorCode</c>.</summary>
    public string? ErrorCode { get; private init; }

    /// <summary><c>ErrorDesc</c>.</summary>
    public string? ErrorDesc { get; private init; }

    /// <summary><c>DocId</c> (sendEdoc).</summary>
    public string? DocId { get; private init; }

    /// <summary><c>data</c> items (lists), null when the SDK would drop the list.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? Items { get; private init; }

    /// <summary><c>data</c> base64-decoded and read as UTF-8 (getEdoc), when status is not FAIL.</summary>
    public string? Data { get; private init; }

    /// <summary><c>count</c> (counts), when status is not FAIL.</summary>
    public int? Count { get; private init; }

    /// <summary>The answer as JSON (null when unparseable).</summary>
    public JsonObject? Json { get; private init; }

    /// <summary>The HTTP status (the SDK ignores it).</summary>
    public int HttpStatus { get; private init; }

    /// <summary>The raw body bytes.</summary>
    public byte[] Body { get; private init; } = [];

    /// <summary>The response headers.</summary>
    public HttpResponseMessage? Response { get; private init; }

    internal static VxpResult Parse(string text, (int Status, byte[] Body, HttpResponseMessage Message) response, string? requiredKey)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        var empty = new VxpResult { Json = json, HttpStatus = response.Status, Body = response.Body, Response = response.Message };
        if (json is null || Str(json, "status") is not { } status || Str(json, "ErrorCode") is not { } code || Str(json, "ErrorDesc") is not { } desc)
        {
            return empty;
        }

        string? docId = null;
        if (requiredKey is not null && (docId = Str(json, requiredKey)) is null)
        {
            return empty;
        }

        List<IReadOnlyDictionary<string, string>>? items = null;
        if (json["data"] is JsonArray array && string.Equals(code, "0", StringComparison.OrdinalIgnoreCase))
        {
            items = [];
            foreach (var node in array)
            {
                var item = new Dictionary<string, string>();
                foreach (var (key, value) in node!.AsObject())
                {
                    if (value is not JsonValue v)
                    {
                        // getAsString on null or an array fails, and the whole list is lost.
                        items = null;
                        break;
                    }

                    item[key] = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                }

                if (items is null)
                {
                    break;
                }

                items.Add(item);
            }
        }

        string? data = null;
        if (status != "FAIL" && json["data"] is JsonValue d && d.GetValueKind() == JsonValueKind.String)
        {
            data = Encoding.UTF8.GetString(Convert.FromBase64String(d.GetValue<string>()));
        }

        int? count = status != "FAIL" && json["count"] is JsonValue c ? int.Parse(c.ToString(), CultureInfo.InvariantCulture) : null;
        return new VxpResult
        {
            Status = status, ErrorCode = code, ErrorDesc = desc, DocId = docId, Items = items, Data = data, Count = count,
            Json = json, HttpStatus = response.Status, Body = response.Body, Response = response.Message,
        };
    }

    private static string? Str(JsonObject json, string key) => json[key] is JsonValue v
        ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()
        : null;
}

/// <summary>A <c>downloadEdoc</c> result as the SDK reports it.</summary>
/// <param name="Status"><c>SUCCESS</c> when the body was non-empty, else <c>FAIL</c>.</param>
/// <param name="ErrorCode"><c>0</c> or <c>100</c>.</param>
/// <param name="File">The bytes saved as the file.</param>
/// <param name="HttpStatus">The HTTP status (the SDK ignores it).</param>
public sealed record VxpDownload(string Status, string ErrorCode, byte[] File, int HttpStatus);
