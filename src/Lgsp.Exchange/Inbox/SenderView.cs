using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Inbox;

/// <summary>What a client system is shown of a delivery's failure (<c>GetDeliveries</c>, <c>GetTrace</c>,
/// the axis <c>getSentEdocList</c>): the stable error code, and a sentence that names no endpoint.
/// Operators (the CLI, the admin API) read the stored text as it is.</summary>
/// <remarks>The text of a failure that came from talking to an endpoint (an HTTP status, a timeout, a
/// network or unforeseen error, or a failure without a code) quotes the endpoint's URL or its host and
/// port, and a URL may carry credentials or tokens: the sender gets a fixed sentence for the code
/// instead. The texts the hub writes without reaching an endpoint (no route, a recipient's <c>fail</c>
/// reason, no endpoint any more, a peer hub's refusal, a failure a farther hub reported) name none and are shown as stored.</remarks>
public static partial class SenderView
{
    // Vietnamese reasons stay readable in the JSON, as the store writes them.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The failure text a sender sees.</summary>
    /// <param name="code">The stable code (<see cref="DeliveryErrorCode"/>), if any.</param>
    /// <param name="text">The stored text, if any.</param>
    /// <returns>Null when there is no text.</returns>
    public static string? Error(string? code, string? text)
    {
        if (text is null || IsShownAsStored(code, text))
        {
            return text;
        }

        var sentence = code switch
        {
            DeliveryErrorCode.Timeout => "the receiving end did not answer in time",
            DeliveryErrorCode.ConnectionRefused => "the receiving end refused the connection",
            DeliveryErrorCode.Network => "the receiving end could not be reached",
            _ when code?.StartsWith("http-", StringComparison.Ordinal) == true => "the receiving end answered HTTP " + code["http-".Length..],
            _ => "the push failed; the hub's operator has the details",
        };
        return GaveUp().Match(text) is { Success: true } gaveUp ? sentence + gaveUp.Value : sentence;
    }

    /// <summary>A delivery as its sender sees it: <see cref="DeliveryView.LastError"/> through <see cref="Error"/>.</summary>
    public static DeliveryView Of(DeliveryView delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery with { LastError = Error(delivery.LastErrorCode, delivery.LastError) };
    }

    /// <summary>A ledger entry as a client system sees it: its failure texts (<c>error</c>, a push's
    /// <c>reason</c>, <c>previousError</c>) through <see cref="Error"/> with their codes, and a
    /// <c>peer</c> that entries written before it named the endpoint URL shown as <c>agency:CODE</c>.</summary>
    public static TraceEvent Of(TraceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (JsonNode.Parse(e.Detail) is not JsonObject detail)
        {
            return e;
        }

        var changed = Redact(detail, "error", "errorCode") | Redact(detail, "previousError", "previousErrorCode");
        if (detail.ContainsKey("errorCode"))
        {
            // delivery.failed after a push: its reason is the last attempt's error.
            changed |= Redact(detail, "reason", "errorCode");
        }

        if (Text(detail, "peer") is { } peer && !peer.StartsWith("hub:", StringComparison.Ordinal) && !peer.StartsWith("agency:", StringComparison.Ordinal))
        {
            detail["peer"] = "agency:" + (e.Recipient ?? Text(detail, "recipient"));
            changed = true;
        }

        // An entry left as it was keeps the stored JSON's exact text.
        return changed ? e with { Detail = detail.ToJsonString(Readable) } : e;
    }

    private static bool IsShownAsStored(string? code, string text) => code switch
    {
        DeliveryErrorCode.ConfirmFail or DeliveryErrorCode.NoEndpoint => true,
        // A far failure's text was written by the next hub's own sender view.
        not null => code.StartsWith("peer-refused:", StringComparison.Ordinal) || code.StartsWith(FarOutcome.CodePrefix, StringComparison.Ordinal),
        // No-route failures carry their code word as the text's prefix, not in the code column.
        null => text.StartsWith("unknown-recipient:", StringComparison.Ordinal) || text.StartsWith("loop-detected:", StringComparison.Ordinal),
    };

    private static bool Redact(JsonObject detail, string textKey, string codeKey)
    {
        if (Text(detail, textKey) is not { } text || Error(Text(detail, codeKey), text) is not { } shown || shown == text)
        {
            return false;
        }

        detail[textKey] = shown;
        return true;
    }

    private static string? Text(JsonObject detail, string key) =>
        detail[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex(@" \(gave up after \d+ attempts\)$", RegexOptions.CultureInvariant)]
    private static partial Regex GaveUp();
}
