using System.Text.Json;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>Reads the signed parameters that carry more than a word: <c>messagetype</c>, and those of
/// <c>sendEdoc</c>: <c>to</c>, the hop extensions <c>lgsp-hops</c> and <c>lgsp-prev-receipt</c>, and the
/// body's <c>hash-file</c>.</summary>
/// <remarks>Thread safe (no state). Malformed values throw <see cref="ExchangeException"/>
/// (<see cref="HubErrorCode.InvalidRequest"/> or <see cref="AxisErrors.InvalidValue"/>, naming the
/// parameter).</remarks>
public static class AxisParameters
{
    /// <summary>The package kind of <c>messagetype</c>: <c>edoc</c> a document, <c>status</c> a status;
    /// <paramref name="absent"/> when it is absent or empty and the operation has a default.</summary>
    /// <exception cref="ExchangeException"><see cref="AxisErrors.InvalidValue"/> for any other value,
    /// or for none when there is no default.</exception>
    public static PackageKind MessageKind(string? messagetype, PackageKind? absent = null) => messagetype switch
    {
        "edoc" => PackageKind.Document,
        "status" => PackageKind.Status,
        null or "" when absent is { } kind => kind,
        var other => throw AxisErrors.Refused(AxisErrors.InvalidValue, "messagetype", other ?? "", "edoc or status"),
    };

    /// <summary>The <c>messagetype</c> word of a package kind, as list answers show it.</summary>
    public static string MessageType(PackageKind kind) => kind == PackageKind.Document ? "edoc" : "status";

    /// <summary>The recipients of <c>to</c>: a JSON array (as the SDK sends it), a JSON string (the SDK's
    /// form for a plain string, with its quotes), or comma-separated codes; null when absent or empty.</summary>
    public static IReadOnlyList<string>? Recipients(string? to)
    {
        if (string.IsNullOrWhiteSpace(to))
        {
            return null;
        }

        var text = to.Trim();
        List<string> codes;
        if (text[0] is '[' or '"')
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                codes = json.RootElement.ValueKind switch
                {
                    JsonValueKind.Array => json.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String
                        ? e.GetString()!
                        : throw ExchangeException.Of(HubErrorCode.InvalidRequest, "to", "every recipient in to must be a string")).ToList(),
                    _ => [json.RootElement.GetString()!],
                };
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                // InvalidOperationException: a string escaping half a surrogate pair ("\ud800"), found when read.
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "to", "to is neither a JSON array of codes nor a list of codes separated by commas");
            }

            codes = codes.SelectMany(c => c.Split(',')).ToList();
        }
        else
        {
            codes = [.. text.Split(',')];
        }

        var result = codes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return result.Count > 0 ? result : null;
    }

    /// <summary>The hubs of <c>lgsp-hops</c> (comma-separated hub ids, first to last); null when absent.</summary>
    public static IReadOnlyList<string>? Hops(string? hops)
    {
        if (string.IsNullOrWhiteSpace(hops))
        {
            return null;
        }

        return hops.Split(',').Select(h => h.Trim()).Where(h => h.Length > 0).ToList();
    }

    /// <summary>The SHA-256 of <c>lgsp-prev-receipt</c> (64 lower-case hex chars); null when absent.</summary>
    public static string? PreviousReceipt(string? sha256)
    {
        if (string.IsNullOrWhiteSpace(sha256))
        {
            return null;
        }

        var text = sha256.Trim();
        return text.Length == 64 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')
            ? text
            : throw ExchangeException.Of(HubErrorCode.InvalidRequest, "lgsp-prev-receipt", "lgsp-prev-receipt must be a SHA-256 in 64 lower-case hex characters");
    }

    /// <summary>The policy the previous hub judged the package under (<c>lgsp-prev-policy</c>:
    /// <c>strict</c> or <c>legacy</c>); null when absent.</summary>
    public static PackagePolicy? PreviousPolicy(string? policy) => policy?.Trim() switch
    {
        null or "" => null,
        "strict" => PackagePolicy.Strict,
        "legacy" => PackagePolicy.Legacy,
        _ => throw ExchangeException.Of(HubErrorCode.InvalidRequest, "lgsp-prev-policy", "lgsp-prev-policy must be strict or legacy"),
    };

    /// <summary>Whether the spooled body carries the file its signed <c>hash-file</c> names (quirk Q5): the
    /// body without one trailing CRLF (the SDK appends it; the spool is then shortened to the file), or
    /// the body itself, whose SHA-256 written unpadded (as the SDK does) or padded (64 chars) equals
    /// <paramref name="hashFile"/>, case-insensitively. The hex is never parsed (the unpadded form is
    /// ambiguous), always recomputed; the whole body's hash is the spool's own, taken as it arrived.</summary>
    public static bool MatchHashFile(PackageSpool body, string hashFile)
    {
        ArgumentNullException.ThrowIfNull(body);
        var expected = hashFile.Trim();
        if (body.Length >= 2 && body.Tail(2) is [(byte)'\r', (byte)'\n']
            && body.TryShorten(body.Length - 2, digest => Matches(digest, expected)))
        {
            return true;
        }

        return Matches(body.Sha256, expected);
    }

    private static bool Matches(byte[] digest, string expected) =>
        string.Equals(AxisSignature.FileHashOfDigest(digest, padded: false), expected, StringComparison.OrdinalIgnoreCase)
        || string.Equals(AxisSignature.FileHashOfDigest(digest, padded: true), expected, StringComparison.OrdinalIgnoreCase);
}
