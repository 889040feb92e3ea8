namespace Lgsp.Exchange.Storage;

/// <summary>Delivery states. Stored as lower-case words.</summary>
public enum DeliveryState
{
    /// <summary>Waiting: in the recipient's pending list (pull) or for its first push.</summary>
    Pending,

    /// <summary>A push failed transiently; another attempt is scheduled.</summary>
    Retrying,

    /// <summary>The recipient has the bytes (fetched, or pushed successfully).</summary>
    Delivered,

    /// <summary>The recipient's system confirmed receipt.</summary>
    Acknowledged,

    /// <summary>Dead letter: refused permanently, or attempts ran out.</summary>
    Failed,
}
