using System.Globalization;

namespace Lgsp.Exchange.Delivery;

/// <summary>Stable codes for why a delivery attempt failed, stored beside the free-text error
/// (<c>last_error_code</c>, <c>delivery_attempt.error_code</c>) so that operators can select failed
/// deliveries by cause (<c>lgsp replay --failed --error http-503</c>). Lower case, no spaces.</summary>
public static class DeliveryErrorCode
{
    /// <summary>The peer did not answer within the push timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The peer's host refused the connection (nothing listens on the port).</summary>
    public const string ConnectionRefused = "connection-refused";

    /// <summary>Any other network failure (name resolution, reset connection, TLS).</summary>
    public const string Network = "network";

    /// <summary>The recipient has no push endpoint any more.</summary>
    public const string NoEndpoint = "no-endpoint";

    /// <summary>The delivery goes via a hub an operator has disabled since: nothing is forwarded to it.</summary>
    public const string HubDisabled = "hub-disabled";

    /// <summary>The recipient's system confirmed the delivery as failed (<c>ConfirmReceived</c> with an
    /// outcome other than done).</summary>
    public const string ConfirmFail = "confirm-fail";

    /// <summary>The push failed in a way the hub did not foresee (an exception from the transport).</summary>
    public const string Unexpected = "unexpected";

    /// <summary>The peer answered with an HTTP status other than 2xx: <c>http-503</c>.</summary>
    public static string Http(int status) => "http-" + status.ToString(CultureInfo.InvariantCulture);

    /// <summary>A peer hub refused the package with its own error code: <c>peer-refused:CODE</c>.</summary>
    public static string PeerRefused(string code) => "peer-refused:" + code;
}
