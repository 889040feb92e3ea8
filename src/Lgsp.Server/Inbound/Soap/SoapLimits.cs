namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// Bounds on an incoming SOAP request. The defaults admit the largest real package (about 70 MB
/// after base64) and stop hostile input before it costs memory or time.
/// </summary>
/// <remarks>Immutable; share one instance freely.</remarks>
public sealed record SoapLimits
{
    /// <summary>The defaults described on each property.</summary>
    public static SoapLimits Default { get; } = new();

    /// <summary>Largest request body, in bytes (default 100 MB). Also bounds the characters of the
    /// XML document.</summary>
    public long MaxBodyBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Deepest element nesting, counting the envelope as depth 0 (default 32; a request
    /// needs 4, WS-Security headers about 8).</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Longest start or end tag, attributes included, in bytes (default 64 KiB), refused as it
    /// arrives, before the reader buffers it.</summary>
    public int MaxTagBytes { get; init; } = 64 * 1024;

    /// <summary>Longest text of a request element other than the package, in characters
    /// (default 4 096).</summary>
    public int MaxFieldLength { get; init; } = 4096;
}
