using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>The national axis protocol's <c>XroadVnpt-*</c> HMAC scheme (VXP.md §3), the one
/// implementation used to sign outbound requests and to verify inbound ones.</summary>
/// <remarks>
/// <para>Signing: every parameter <c>(name, value)</c>, in the order given, becomes the wire header
/// <c>XroadVnpt-{name}: {value}</c> (plus the raw <c>Content-Type</c> when the name is exactly
/// <c>Content-Type</c>) and a property <c>"XroadVnpt-{name}":"{value}"</c> of the sign-header, a
/// compact JSON object escaped as Gson does (no HTML escaping, non-ASCII kept literal). The
/// sign-header-key lists the names without the prefix, joined by <c>;</c>. The hash-header is the
/// lower-case hex HMAC-SHA256 of the sign-header's UTF-8 bytes, keyed by the secret's UTF-8 bytes
/// (the secret is used as typed, never base64-decoded).</para>
/// <para>Verifying: the MAC is recomputed over the sign-header's bytes exactly as received (headers
/// decoded as Latin-1, so each char is one wire byte) and compared in constant time; the JSON is
/// never re-serialised. Timestamps are not checked here (the SDK freezes them).</para>
/// <para>All members are pure functions: thread safe. Arguments that are null throw
/// <see cref="ArgumentNullException"/>.</para>
/// </remarks>
public static class AxisSignature
{
    /// <summary>The prefix of every signed parameter header and sign-header key.</summary>
    public const string Prefix = "XroadVnpt-";

    /// <summary>The header carrying the caller's system id.</summary>
    public const string SystemIdHeader = "XroadVnpt-systemid";

    /// <summary>The header carrying the signed JSON.</summary>
    public const string SignHeader = "XroadVnpt-sign-header";

    /// <summary>The header listing the signed parameter names, without the prefix, joined by <c>;</c>.</summary>
    public const string SignHeaderKeyHeader = "XroadVnpt-sign-header-key";

    /// <summary>The header carrying the lower-case hex HMAC-SHA256 of the sign-header.</summary>
    public const string HashHeader = "XroadVnpt-hash-header";

    /// <summary>The signed parameter holding the caller's system id.</summary>
    public const string SystemIdParameter = "systemid";

    /// <summary>The signed parameter holding the client's timestamp (<see cref="TimestampFormat"/>).</summary>
    public const string TimestampParameter = "timestamp";

    /// <summary>The signed parameter mirrored as the raw <c>Content-Type</c> header.</summary>
    public const string ContentTypeParameter = "Content-Type";

    /// <summary>The SDK's timestamp format: local time, then a literal <c>+</c> and the milliseconds
    /// padded to four digits (not a UTC offset).</summary>
    public const string TimestampFormat = "ddMMyyyy'T'HHmmss";

    /// <summary>The sign-header JSON for these parameters, in the order given, exactly as the SDK's
    /// Gson <c>JsonObject.toString()</c> writes it.</summary>
    /// <exception cref="ArgumentException">A name is empty or repeated, or a value is null.</exception>
    public static string BuildSignHeader(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var json = new StringBuilder("{");
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(name) || !seen.Add(name))
            {
                throw new ArgumentException($"Parameter names must be non-empty and distinct: '{name}'.", nameof(parameters));
            }

            if (value is null)
            {
                throw new ArgumentException($"Parameter '{name}' has no value.", nameof(parameters));
            }

            if (seen.Count > 1)
            {
                json.Append(',');
            }

            AppendGsonString(json, Prefix + name);
            json.Append(':');
            AppendGsonString(json, value);
        }

        return json.Append('}').ToString();
    }

    /// <summary>The sign-header-key for these parameters: their names, without the prefix, joined by
    /// <c>;</c> (no trailing separator).</summary>
    public static string BuildSignHeaderKey(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return string.Join(';', parameters.Select(p => p.Key));
    }

    /// <summary>Lower-case hex (64 chars) HMAC-SHA256 of the UTF-8 bytes of <paramref name="signHeader"/>,
    /// keyed by the UTF-8 bytes of <paramref name="secret"/>.</summary>
    public static string ComputeHash(string secret, string signHeader)
    {
        ArgumentNullException.ThrowIfNull(signHeader);
        return ComputeHash(secret, Encoding.UTF8.GetBytes(signHeader));
    }

    /// <summary>Lower-case hex HMAC-SHA256 of <paramref name="message"/>, keyed by the UTF-8 bytes of
    /// <paramref name="secret"/>.</summary>
    public static string ComputeHash(string secret, ReadOnlySpan<byte> message) =>
        Convert.ToHexStringLower(Mac(secret, message));

    /// <summary>Signs a request: the wire headers in the SDK's order (each parameter as
    /// <c>XroadVnpt-{name}</c>, the raw <c>Content-Type</c> just before <c>XroadVnpt-Content-Type</c>,
    /// then the sign-header-key, sign-header and hash-header).</summary>
    /// <param name="secret">The caller system's secret, as typed.</param>
    /// <param name="parameters">Every signed parameter in sending order, normally starting with
    /// <c>timestamp</c> and <c>systemid</c> and including <c>Content-Type</c>.</param>
    /// <exception cref="ArgumentException">As <see cref="BuildSignHeader"/>.</exception>
    public static AxisSignedHeaders Sign(string secret, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        var signHeader = BuildSignHeader(list);
        var headers = new List<KeyValuePair<string, string>>(list.Count + 4);
        foreach (var (name, value) in list)
        {
            if (name == ContentTypeParameter)
            {
                headers.Add(new(ContentTypeParameter, value));
            }

            headers.Add(new(Prefix + name, value));
        }

        var key = BuildSignHeaderKey(list);
        var hash = ComputeHash(secret, signHeader);
        headers.Add(new(SignHeaderKeyHeader, key));
        headers.Add(new(SignHeader, signHeader));
        headers.Add(new(HashHeader, hash));
        return new AxisSignedHeaders(signHeader, key, hash, headers);
    }

    /// <summary>Checks a received request's MAC (VXP.md §3.3) in constant time.</summary>
    /// <param name="secret">The claimed system's secret.</param>
    /// <param name="receivedSignHeader">The <c>XroadVnpt-sign-header</c> value as the server decoded it,
    /// which must be Latin-1 (one char per wire byte); chars above U+00FF cannot come from the wire
    /// and fail.</param>
    /// <param name="receivedHash">The <c>XroadVnpt-hash-header</c> value (hex, any case, surrounding
    /// whitespace ignored).</param>
    /// <param name="signedText">On success, the signed JSON text: the wire bytes decoded as UTF-8, or
    /// as Latin-1 when only the fallback matched (a client that sent each char's low byte, VXP.md §2.4).</param>
    /// <returns>True when the MAC matches.</returns>
    public static bool Verify(string secret, string receivedSignHeader, string receivedHash, out string signedText)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(receivedSignHeader);
        ArgumentNullException.ThrowIfNull(receivedHash);
        signedText = string.Empty;

        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hex = receivedHash.AsSpan().Trim();
        if (hex.Length != claimed.Length * 2 || Convert.FromHexString(hex, claimed, out _, out var written) != OperationStatus.Done || written != claimed.Length)
        {
            return false;
        }

        byte[] wire;
        try
        {
            wire = Latin1Strict.GetBytes(receivedSignHeader);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }

        if (CryptographicOperations.FixedTimeEquals(Mac(secret, wire), claimed))
        {
            try
            {
                signedText = Utf8Strict.GetString(wire);
                return true;
            }
            catch (DecoderFallbackException)
            {
                // Valid MAC over bytes that are not UTF-8: the text is only meaningful as Latin-1.
                signedText = receivedSignHeader;
                return true;
            }
        }

        if (wire.Any(b => b >= 0x80) && CryptographicOperations.FixedTimeEquals(Mac(secret, Encoding.UTF8.GetBytes(receivedSignHeader)), claimed))
        {
            signedText = receivedSignHeader;
            return true;
        }

        return false;
    }

    /// <summary>The parameters of a signed JSON text, in their order, with the <c>XroadVnpt-</c> prefix
    /// stripped (names without it are kept as they are). String values are taken as is; numbers,
    /// booleans and other values as their JSON text.</summary>
    /// <exception cref="FormatException">The text is not a JSON object.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseSignedParameters(string signedText)
    {
        ArgumentNullException.ThrowIfNull(signedText);
        try
        {
            using var document = JsonDocument.Parse(signedText);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The sign-header is not a JSON object.");
            }

            var result = new List<KeyValuePair<string, string>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var name = property.Name.StartsWith(Prefix, StringComparison.Ordinal) ? property.Name[Prefix.Length..] : property.Name;
                var value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Null => string.Empty,
                    _ => property.Value.GetRawText(),
                };
                result.Add(new(name, value));
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new FormatException("The sign-header is not valid JSON.", ex);
        }
        catch (InvalidOperationException ex)
        {
            // A name or value escaping half a surrogate pair ("\ud800"): found only when read.
            throw new FormatException("The sign-header holds a string that is not valid Unicode.", ex);
        }
    }

    /// <summary>The SDK's timestamp for a local time: <c>ddMMyyyy'T'HHmmss+SSSS</c>, the suffix being the
    /// milliseconds padded to four digits.</summary>
    public static string FormatTimestamp(DateTime localTime) =>
        localTime.ToString(TimestampFormat, CultureInfo.InvariantCulture) + "+" + localTime.Millisecond.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Reads an SDK timestamp (for logging skew only; the client's time zone is unknown).</summary>
    /// <returns>False when the text is not in the SDK's format.</returns>
    public static bool TryParseTimestamp(string? text, out DateTime clientLocalTime)
    {
        clientLocalTime = default;
        if (text is not { Length: 20 } || text[15] != '+'
            || !DateTime.TryParseExact(text.AsSpan(0, 15), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var seconds)
            || !int.TryParse(text.AsSpan(16), NumberStyles.None, CultureInfo.InvariantCulture, out var millis) || millis > 999)
        {
            return false;
        }

        clientLocalTime = seconds.AddMilliseconds(millis);
        return true;
    }

    /// <summary>The SDK's <c>hash-file</c> of a file: SHA-256 in lower-case hex, each byte written
    /// without zero padding (0x05 → <c>5</c>) as the SDK does (quirk Q5), or padded (64 chars) for
    /// clients that write it properly.</summary>
    public static string FileHash(ReadOnlySpan<byte> file, bool padded)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(file, digest);
        return HashText(digest, padded);
    }

    /// <summary>A SHA-256 digest as <c>hash-file</c> writes it (<see cref="FileHash"/>).</summary>
    public static string HashText(ReadOnlySpan<byte> digest, bool padded)
    {
        if (padded)
        {
            return Convert.ToHexStringLower(digest);
        }

        var text = new StringBuilder(digest.Length * 2);
        foreach (var b in digest)
        {
            text.Append(b.ToString("x", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static byte[] Mac(string secret, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    private static readonly Encoding Latin1Strict = Encoding.GetEncoding("iso-8859-1", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    private static readonly Encoding Utf8Strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Gson's JsonWriter without HTML escaping: quote, backslash, \t \b \n \r \f, other controls as
    // \u00xx (lower-case hex), U+2028/U+2029 escaped; everything else literal.
    private static void AppendGsonString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\f': json.Append("\\f"); break;
                case '\u2028': json.Append("\\u2028"); break;
                case '\u2029': json.Append("\\u2029"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }
}

/// <summary>A signed request's headers (<see cref="AxisSignature.Sign"/>).</summary>
/// <param name="SignHeader">The sign-header JSON text (send as UTF-8 bytes).</param>
/// <param name="SignHeaderKey">The sign-header-key list.</param>
/// <param name="Hash">The lower-case hex HMAC.</param>
/// <param name="Headers">Every header to send, in the SDK's wire order.</param>
public sealed record AxisSignedHeaders(string SignHeader, string SignHeaderKey, string Hash, IReadOnlyList<KeyValuePair<string, string>> Headers);
