namespace Lgsp.Edxml.Pdf;

/// <summary>Bounds on the work <see cref="PdfSignatureInspector"/> does for one untrusted PDF.</summary>
/// <remarks>Immutable; share one instance freely.</remarks>
public sealed record PdfLimits
{
    /// <summary>The defaults: 64 MiB, 64 signatures.</summary>
    public static PdfLimits Default { get; } = new();

    /// <summary>Largest PDF inspected, in bytes (default 64 MiB, the largest attachment a package may
    /// carry; at most <see cref="Array.MaxLength"/>). Larger files are reported as <c>TooLarge</c>.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most signatures inspected (default 64; a dispatch carries two or three). Further
    /// signatures are reported as <c>TooLarge</c> and not inspected.</summary>
    public int MaxSignatures { get; init; } = 64;
}
