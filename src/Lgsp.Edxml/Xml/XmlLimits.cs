namespace Lgsp.Edxml.Xml;

/// <summary>
/// Bounds on untrusted XML. The defaults fit the largest real package (a 50 MB file, about 70 MB
/// after base64) with room to spare, and stop hostile input long before it costs memory or time.
/// </summary>
/// <remarks>Immutable; share one instance freely.</remarks>
public sealed record XmlLimits
{
    /// <summary>The defaults described on the type.</summary>
    public static XmlLimits Default { get; } = new();

    /// <summary>Largest package accepted, in bytes (default 96 MiB).</summary>
    public long MaxPackageBytes { get; init; } = 96L * 1024 * 1024;

    /// <summary>Deepest element nesting (default 48; real packages nest about 8 deep).</summary>
    public int MaxDepth { get; init; } = 48;

    /// <summary>Most elements in one package (default 50 000).</summary>
    public int MaxElements { get; init; } = 50_000;

    /// <summary>Longest start or end tag, its attributes included, in bytes (default 64 KiB): a longer
    /// one is refused as it arrives, before the reader buffers it (<see cref="TagLengthLimitStream"/>).</summary>
    public int MaxTagBytes { get; init; } = 64 * 1024;

    /// <summary>Most attributes on one element (default 64).</summary>
    public int MaxAttributesPerElement { get; init; } = 64;

    /// <summary>Longest text of any element other than an attachment's content (default 1 MiB characters).</summary>
    public int MaxTextLength { get; init; } = 1024 * 1024;

    /// <summary>Largest decoded attachment, in bytes (default 64 MiB).</summary>
    public long MaxAttachmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest total a zip attachment may inflate to, in bytes (default 256 MiB).</summary>
    public long MaxInflatedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Largest inflated/compressed ratio of a zip entry (default 200).</summary>
    public int MaxInflateRatio { get; init; } = 200;

    /// <summary>Most entries in a zip attachment (default 1 000).</summary>
    public int MaxZipEntries { get; init; } = 1_000;
}
