using System.Security.Cryptography;
using System.Text;

namespace Lgsp.TestSupport.Fuzzing;

/// <summary>
/// An axis-protocol request as the fuzzer carries it: header lines <c>Name: value</c> separated by
/// CRLF, an empty line, then the body. Header values are Latin-1 (one char per wire byte), as the server
/// decodes them, so byte-level damage to the text is damage to the wire.
/// </summary>
/// <param name="Headers">The headers, in order; a name may repeat.</param>
/// <param name="Body">The body.</param>
public sealed record AxisWireRequest(IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>The header carrying the signed JSON.</summary>
    public const string SignHeader = "XroadVnpt-sign-header";

    /// <summary>The header carrying the HMAC of the signed JSON.</summary>
    public const string HashHeader = "XroadVnpt-hash-header";

    /// <summary>The request as bytes.</summary>
    public byte[] ToBytes()
    {
        var head = new StringBuilder();
        foreach (var (name, value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. Body];
    }

    /// <summary>Reads the bytes back: lines up to the first empty line are headers (a line without a
    /// colon is dropped, as a server would refuse it), the rest is the body.</summary>
    public static AxisWireRequest Parse(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var headEnd = end < 0 ? bytes.Length : end;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in Encoding.Latin1.GetString(bytes, 0, headEnd).Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim(' ', '\t')));
            }
        }

        return new AxisWireRequest(headers, end < 0 ? [] : bytes[(end + 4)..]);
    }

    /// <summary>The first value of a header, any case; null when absent.</summary>
    public string? Get(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>A copy with the header's first occurrence set (or appended).</summary>
    public AxisWireRequest With(string name, string value)
    {
        var list = Headers.ToList();
        var at = list.FindIndex(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        if (at < 0)
        {
            list.Add(new(name, value));
        }
        else
        {
            list[at] = new(name, value);
        }

        return this with { Headers = list };
    }

    /// <summary>A copy whose hash-header is the HMAC-SHA256 of the sign-header's wire bytes, keyed by
    /// <paramref name="secret"/> (what an honest client holding the secret sends).</summary>
    public AxisWireRequest Resigned(string secret) =>
        Get(SignHeader) is { } signed ? With(HashHeader, Mac(secret, Encoding.Latin1.GetBytes(signed))) : this;

    /// <summary>The lower-case hex HMAC-SHA256 of <paramref name="wire"/> under <paramref name="secret"/>:
    /// the fuzz tests' own implementation, the oracle the hub's is checked against.</summary>
    public static string Mac(string secret, byte[] wire) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), wire));
}
