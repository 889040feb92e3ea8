using System.Security.Cryptography;
using System.Text;

namespace Lgsp.Postgres.Cluster;

/// <summary>
/// Where a private cluster really lives. Normally in the directory asked for; but when this process
/// is root the server runs as the <c>postgres</c> account, which must own the data directory and
/// reach it, and a checkout under <c>/root</c> (mode 0700) is closed to it. Then the cluster lives
/// under a fallback root instead (by default <see cref="DefaultFallbackRoot"/>), in a folder named
/// after a hash of the directory asked for, and a pointer file beside that directory records the
/// choice so that the next start, and the <c>lgsp</c> command, find the same cluster.
/// </summary>
/// <remarks>The fallback root must survive reboots (not <c>/tmp</c>): the cluster holds accepted
/// packages. Each fallback folder carries an <see cref="OwnerFileName"/> naming the directory it
/// stands for, so an operator can tell which checkout a folder belongs to.</remarks>
public static class ClusterPlacement
{
    /// <summary>The fallback root when none is configured.</summary>
    public const string DefaultFallbackRoot = "/var/lib/lgsp";

    /// <summary>Appended to the cluster directory's path to name its pointer file.</summary>
    public const string PointerSuffix = ".location";

    /// <summary>The file, in a fallback folder, naming the directory it stands for.</summary>
    public const string OwnerFileName = "owner";

    /// <summary>The pointer file of <paramref name="clusterDirectory"/>.</summary>
    public static string PointerFile(string clusterDirectory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(clusterDirectory)) + PointerSuffix;

    /// <summary>The directory the pointer file of <paramref name="clusterDirectory"/> names, or null
    /// when there is no pointer file.</summary>
    /// <exception cref="PostgresClusterException">The pointer file names no absolute path.</exception>
    public static string? Recorded(string clusterDirectory)
    {
        var pointer = PointerFile(clusterDirectory);
        if (!File.Exists(pointer))
        {
            return null;
        }

        var named = File.ReadAllLines(pointer).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
        return named is not null && Path.IsPathFullyQualified(named)
            ? named
            : throw new PostgresClusterException($"{pointer} should name the private cluster's directory (an absolute path) but does not; fix or delete it.");
    }

    /// <summary>
    /// The directory the cluster for <paramref name="clusterDirectory"/> lives in: the one its pointer
    /// file names; else <paramref name="clusterDirectory"/> when it holds a cluster, when this process
    /// is not root, when the <c>postgres</c> account can reach it, or when
    /// <paramref name="fallbackRoot"/> is null; else a folder under <paramref name="fallbackRoot"/>,
    /// recorded in a new pointer file.
    /// </summary>
    /// <param name="clusterDirectory">The directory asked for (absolute).</param>
    /// <param name="fallbackRoot">Where to move the cluster when the directory is closed to the
    /// <c>postgres</c> account; null never moves it (a command that only uses an existing cluster).</param>
    /// <param name="say">Told where the cluster is when it is not where it was asked for.</param>
    /// <param name="ct">Cancels.</param>
    public static async Task<string> ResolveAsync(string clusterDirectory, string? fallbackRoot, Action<string> say, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(say);
        clusterDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(clusterDirectory));
        if (Recorded(clusterDirectory) is { } recorded)
        {
            say($"The private cluster of {clusterDirectory} lives in {recorded} (recorded in {PointerFile(clusterDirectory)})");
            return recorded;
        }

        if (fallbackRoot is null || !UnixProcesses.IsRoot || File.Exists(Path.Combine(clusterDirectory, "PG_VERSION"))
            || await ServiceUserReachesAsync(clusterDirectory, ct).ConfigureAwait(false))
        {
            return clusterDirectory;
        }

        var folder = Path.Combine(Path.GetFullPath(fallbackRoot), FolderName(clusterDirectory));
        var fallback = Path.Combine(folder, "pg");
        CreateReachable(Path.GetFullPath(fallbackRoot));
        CreateReachable(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, OwnerFileName), clusterDirectory + "\n", ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(PointerFile(clusterDirectory),
            $"# The '{Commands.ServiceUser}' account, which runs PostgreSQL for a root process, cannot reach {clusterDirectory};{Environment.NewLine}"
            + $"# the private cluster lives here instead. The hub and the lgsp command both follow this file.{Environment.NewLine}"
            + fallback + Environment.NewLine, ct).ConfigureAwait(false);
        say($"The '{Commands.ServiceUser}' account cannot reach {clusterDirectory} (a parent directory is closed to it): "
            + $"the private cluster lives in {fallback} instead, recorded in {PointerFile(clusterDirectory)}");
        return fallback;
    }

    /// <summary>The fallback folder's name: the last folder names (readable) and a hash of the whole path (unique).</summary>
    internal static string FolderName(string clusterDirectory)
    {
        var canonical = UnixProcesses.Canonical(clusterDirectory);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
        var parent = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(canonical)) ?? "") ?? "";
        var safe = new string([.. parent.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(32)]);
        return safe.Length == 0 ? hash : $"{safe}-{hash}";
    }

    /// <summary>Whether the <c>postgres</c> account can traverse to the nearest existing directory on the
    /// way to <paramref name="directory"/> (what is created below it is made reachable by the launcher).</summary>
    private static async Task<bool> ServiceUserReachesAsync(string directory, CancellationToken ct)
    {
        var existing = directory;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        var test = await Commands.RunAsync("test", ["-x", existing], asServiceUser: true, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        return test.Succeeded;
    }

    /// <summary>Creates <paramref name="directory"/> when missing, open to traversal but not to listing by others.</summary>
    private static void CreateReachable(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
