using Lgsp.Edxml.Spooling;

namespace Lgsp.Server.Inbound.Accept;

/// <summary>Where a received package is held while it is judged and stored (<c>Hub:Spool</c>; ADR 0016):
/// in memory up to <see cref="MemoryThresholdBytes"/>, in a temporary file above it.</summary>
public sealed class SpoolOptions
{
    /// <summary>Bytes of a package kept in memory before it moves to a temporary file (default 1 MiB;
    /// 0: always a file).</summary>
    public int MemoryThresholdBytes { get; set; } = PackageSpool.DefaultMemoryThreshold;

    /// <summary>The folder of the temporary files (default: the system's temporary folder, <c>TMPDIR</c>).
    /// Each file is deleted when its request ends, and by the operating system if the hub dies (it is
    /// opened delete-on-close); it needs room for the packages in flight.</summary>
    public string? Directory { get; set; }

    /// <summary>A new, empty spool under these settings.</summary>
    public PackageSpool Create() => PackageSpool.Create(MemoryThresholdBytes, Directory);
}
