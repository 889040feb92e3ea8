using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lgsp.TestSupport.Fuzzing;

/// <summary>
/// Damage to an axis-protocol request (<see cref="AxisWireRequest"/>): the <c>XroadVnpt-*</c> headers
/// dropped, repeated, emptied, made huge or non-Latin-1; the hash-header's hex damaged; signed parameters
/// set to values their parsers must refuse (<c>to</c>, <c>lgsp-hops</c>, <c>lgsp-prev-receipt</c>,
/// <c>messagetype</c>, <c>hash-file</c>, <c>docId</c>, <c>status</c>, <c>timestamp</c>, <c>systemid</c>);
/// the signed JSON itself damaged (duplicate keys, other types, deep nesting, escapes); the JSON or form
/// body changed. Most changes to the signed JSON are re-signed with the caller's secret, so that the
/// damage reaches the parameter parsers behind the MAC check.
/// </summary>
public static class AxisMutations
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Values a signed parameter's parser must survive, by parameter (any parameter may get any).</summary>
    private static readonly Dictionary<string, string[]> Values = new()
    {
        ["to"] = ["[\"000.00.00.H56\",\"000.00.01.H56\"]", "\"000.00.00.H56\"", "000.00.00.H56,000.00.01.H56", "[", "[1]", "[null]", "[[\"a\"]]", "\"\"\"", "[\"\"]", "\"", ",,,", "[\"a\",", "{\"a\":1}", "null", "true", "[" + string.Concat(Enumerable.Repeat("[", 200)), "[\"\\ud800\"]", "\"\\u0000\""],
        ["lgsp-hops"] = ["hub-a,hub-b", ",", " , , ", "hub-a,,hub-a", new string('h', 5000), "\u0000"],
        ["lgsp-prev-receipt"] = [new string('a', 64), new string('A', 64), new string('0', 63), new string('g', 64), " " + new string('f', 64) + " ", "", new string('f', 65)],
        ["messagetype"] = ["edoc", "status", "EDOC", "", " edoc", "edoc\u0000", "document"],
        ["hash-file"] = ["0", "", new string('f', 64), new string('F', 64), "zz", new string('0', 10_000)],
        ["docId"] = ["1", "-1", "0", "99999999999999999999", " 1 ", "1e3", "0x10", "\u0661", "", "9223372036854775807", "9223372036854775808"],
        ["status"] = ["done", "fail", "processing", "DONE", "", "\u0000"],
        ["timestamp"] = ["23112026T085716+0882", "23112026T085716+9999", "99999999T999999+0000", "", "x", "23112026T085716+08821", "31022026T085716+0001"],
        ["systemid"] = ["other-system", "", " ", "\u00e9"],
        ["level"] = ["1", "4", "5", "", "-1", "99999999999999"],
        ["from"] = ["000.00.00.H56", "", "x", "000.00.00.h56"],
    };

    /// <summary>Every axis-aware mutation; <paramref name="secret"/> is the calling system's, for re-signing.</summary>
    public static IEnumerable<Mutation> All(string secret) =>
    [
        new("header dropped", (input, random, _) => Edit(input, r => r with { Headers = Without(r.Headers, random.Next(r.Headers.Count)) })),
        new("header repeated", (input, random, _) => Edit(input, r => r.Headers.Count == 0 ? null : r with { Headers = [.. r.Headers, random.Pick(r.Headers)] })),
        new("header value emptied, made huge or non-Latin-1", (input, random, _) => Edit(input, r => DamageValue(r, random))),
        new("hash-header damaged", (input, random, _) => Edit(input, r => DamageHash(r, random))),
        new("signed parameter set", (input, random, _) => Edit(input, r => SetParameter(r, random, secret))),
        new("signed JSON damaged", (input, random, _) => Edit(input, r => DamageJson(r, random, secret))),
        new("body replaced", (input, random, _) => Edit(input, r => ReplaceBody(r, random))),
        new("re-signed", (input, _, _) => Edit(input, r => r.Resigned(secret))),
    ];

    private static byte[]? Edit(byte[] input, Func<AxisWireRequest, AxisWireRequest?> edit) =>
        edit(AxisWireRequest.Parse(input))?.ToBytes();

    private static List<KeyValuePair<string, string>> Without(IReadOnlyList<KeyValuePair<string, string>> headers, int index) =>
        headers.Where((_, i) => i != index).ToList();

    private static AxisWireRequest? DamageValue(AxisWireRequest request, FuzzRandom random)
    {
        if (request.Headers.Count == 0)
        {
            return null;
        }

        var (name, value) = random.Pick(request.Headers);
        var damaged = random.Next(5) switch
        {
            0 => "",
            1 => value + new string(random.OneIn(2) ? 'x' : '\u00e9', random.Pick(new[] { 100, 8_000, 64_000 })),
            2 => value + Splicing.Utf8AsText("\u0100\u4e00 đ"),
            3 => "  " + value + "\t",
            _ => value.Length == 0 ? "x" : value[..random.Next(value.Length)],
        };
        return request.With(name, damaged);
    }

    private static AxisWireRequest? DamageHash(AxisWireRequest request, FuzzRandom random)
    {
        if (request.Get(AxisWireRequest.HashHeader) is not { Length: > 0 } hash)
        {
            return null;
        }

        var damaged = random.Next(6) switch
        {
            0 => hash.ToUpperInvariant(),
            1 => " " + hash + " ",
            2 => hash[..^1],
            3 => hash[..^1] + (hash[^1] == '0' ? '1' : '0'),
            4 => hash[..^2] + "zz",
            _ => hash + hash,
        };
        return request.With(AxisWireRequest.HashHeader, damaged);
    }

    private static JsonObject? SignedJson(AxisWireRequest request)
    {
        try
        {
            var json = request.Get(AxisWireRequest.SignHeader) is { } text
                ? JsonNode.Parse(Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(text))) as JsonObject
                : null;

            // A JsonObject reads its properties lazily: a repeated key throws only here.
            _ = json?.Count;
            return json;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static AxisWireRequest WithSignedText(AxisWireRequest request, string json, FuzzRandom random, string secret)
    {
        // The wire carries the JSON's UTF-8 bytes; the Latin-1 view is what the server hands over.
        var signed = request.With(AxisWireRequest.SignHeader, Splicing.Utf8AsText(json));
        return random.OneIn(8) ? signed : signed.Resigned(secret);
    }

    private static AxisWireRequest? SetParameter(AxisWireRequest request, FuzzRandom random, string secret)
    {
        if (SignedJson(request) is not { } json)
        {
            return null;
        }

        var parameter = random.Pick(Values.Keys.ToList());
        var value = random.Pick(random.OneIn(4) ? Values[random.Pick(Values.Keys.ToList())] : Values[parameter]);
        var key = random.OneIn(6) ? parameter.ToUpperInvariant() : random.OneIn(6) ? parameter : "XroadVnpt-" + parameter;
        json[key] = random.Next(6) switch
        {
            0 => JsonValue.Create(12345),
            1 => new JsonArray(JsonValue.Create(value)),
            2 => null,
            _ => JsonValue.Create(value),
        };
        return WithSignedText(request.With("XroadVnpt-" + parameter, value), json.ToJsonString(Relaxed), random, secret);
    }

    private static AxisWireRequest? DamageJson(AxisWireRequest request, FuzzRandom random, string secret)
    {
        if (request.Get(AxisWireRequest.SignHeader) is not { Length: > 2 } latin1)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(latin1));
        var inner = text.TrimEnd().EndsWith('}') ? text.TrimEnd()[..^1] : text;
        var damaged = random.Next(8) switch
        {
            0 => inner + ",\"XroadVnpt-systemid\":\"other\"}",
            1 => inner + ",\"XroadVnpt-to\":" + string.Concat(Enumerable.Repeat("[", random.Pick(new[] { 10, 65, 1000 }))) + "}",
            2 => "[" + text + "]",
            3 => text[..random.Next(text.Length)],
            4 => inner + ",\"XroadVnpt-x\":\"\\u0000\\ud800\\udfff\\\"\"}",
            5 => inner + ",\"XroadVnpt-messagetype\":{\"a\":[1,2,{}]}}",
            6 => "\uFEFF" + text + " // comment",
            _ => inner + "," + string.Join(',', Enumerable.Range(0, random.Pick(new[] { 10, 1000 })).Select(i => $"\"XroadVnpt-k{i}\":\"v\"")) + "}",
        };
        return WithSignedText(request, damaged, random, secret);
    }

    private static AxisWireRequest? ReplaceBody(AxisWireRequest request, FuzzRandom random)
    {
        string[] bodies =
        [
            "{\"code\":\"000.01.01.H56\",\"name\":\"Ph\u00f2ng th\u1eed\",\"pcode\":\"000.00.01.H56\",\"mail\":\"a@b.vn\"}",
            "{\"code\":1,\"name\":null}", "[]", "{", "{\"code\":\"" + new string('c', 60_000) + "\"}", "\"code\"",
            "{\"a\":" + string.Concat(Enumerable.Repeat("[", 100)) + "}", "{\"code\":\" \",\"name\":\"x\"}", "",
            "{\"code\":\"x\",\"code\":\"y\",\"name\":\"n\"}", "\u00ff\u00fe{}",
        ];
        var body = random.Pick(bodies);
        return request with { Body = random.OneIn(2) ? Encoding.UTF8.GetBytes(body) : Encoding.Latin1.GetBytes(body) };
    }
}
