namespace Lgsp.Exchange.Storage;

/// <summary>Delivery modes: the recipient's system pulls from its pending list, or the hub pushes to
/// its endpoint.</summary>
public enum DeliveryMode
{
    /// <summary>The recipient's system pulls.</summary>
    Pull,

    /// <summary>The hub pushes to the recipient's endpoint.</summary>
    Push,
}
