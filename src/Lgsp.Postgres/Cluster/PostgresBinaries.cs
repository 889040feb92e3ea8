namespace Lgsp.Postgres.Cluster;

/// <summary>Finds the machine's PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>,
/// <c>postgres</c>); nothing is downloaded.</summary>
public static class PostgresBinaries
{
    /// <summary>The environment variable that names the directory explicitly.</summary>
    public const string EnvironmentVariable = "PG_BIN";

    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>The directory holding <c>initdb</c> and <c>pg_ctl</c>, found in this order: the
    /// <c>PG_BIN</c> environment variable (which must then be right), <c>pg_config --bindir</c>,
    /// the highest <c>/usr/lib/postgresql/*/bin</c>, the directory of the <c>initdb</c> found on
    /// <c>PATH</c> (symbolic links followed).</summary>
    /// <exception cref="PostgresClusterException">Nothing found; the message lists every place
    /// tried.</exception>
    public static string Locate() => Locate(Environment.GetEnvironmentVariable, DebianRoot);

    /// <summary><see cref="Locate()"/> with the environment and the distribution directory given.</summary>
    internal static string Locate(Func<string, string?> environment, string distributionRoot)
    {
        var tried = new List<string>();

        var explicitDirectory = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            if (HasServerPrograms(explicitDirectory))
            {
                return Path.GetFullPath(explicitDirectory);
            }

            throw new PostgresClusterException(
                $"{EnvironmentVariable} is set to '{explicitDirectory}', which does not hold initdb and pg_ctl. "
                + $"Point it at the PostgreSQL bin directory (for example {distributionRoot}/15/bin), or unset it to search the usual places.");
        }

        tried.Add($"{EnvironmentVariable} (not set)");

        var fromPgConfig = PgConfigBinDirectory(environment);
        if (fromPgConfig is not null && HasServerPrograms(fromPgConfig))
        {
            return fromPgConfig;
        }

        tried.Add(fromPgConfig is null ? "pg_config --bindir (no pg_config on PATH)" : $"pg_config --bindir ({fromPgConfig}: no initdb there)");

        var versioned = HighestVersionedBin(distributionRoot);
        if (versioned is not null)
        {
            return versioned;
        }

        tried.Add($"{distributionRoot}/*/bin (none with initdb)");

        var onPath = FindOnPath("initdb", environment);
        if (onPath is not null)
        {
            var target = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
            var directory = Path.GetDirectoryName(target)!;
            if (HasServerPrograms(directory))
            {
                return directory;
            }

            tried.Add($"initdb on PATH ({onPath}: no pg_ctl next to it)");
        }
        else
        {
            tried.Add("initdb on PATH (not found)");
        }

        throw new PostgresClusterException(
            "No PostgreSQL server programs (initdb, pg_ctl) found. Tried: " + string.Join("; ", tried)
            + $". Install them (apt-get install postgresql) or set {EnvironmentVariable} to their directory.");
    }

    /// <summary>Whether <paramref name="directory"/> holds both <c>initdb</c> and <c>pg_ctl</c>.</summary>
    internal static bool HasServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    private static string? PgConfigBinDirectory(Func<string, string?> environment)
    {
        var pgConfig = FindOnPath("pg_config", environment);
        if (pgConfig is null)
        {
            return null;
        }

        try
        {
            var result = Commands.RunAsync(pgConfig, ["--bindir"], asServiceUser: false, TimeSpan.FromSeconds(10), CancellationToken.None)
                .GetAwaiter().GetResult();
            var directory = result.StandardOutput.Trim();
            return result.Succeeded && directory.Length > 0 ? directory : null;
        }
        catch (PostgresClusterException)
        {
            return null;
        }
    }

    private static string? HighestVersionedBin(string distributionRoot)
    {
        if (!Directory.Exists(distributionRoot))
        {
            return null;
        }

        // Directories are named by major version: "15", "16", and "9.6" for the old scheme.
        static Version? ParseMajor(string name) =>
            Version.TryParse(name.Contains('.') ? name : name + ".0", out var version) ? version : null;

        return Directory.EnumerateDirectories(distributionRoot)
            .Select(d => (Directory: d, Version: ParseMajor(Path.GetFileName(d))))
            .Where(d => d.Version is not null && HasServerPrograms(Path.Combine(d.Directory, "bin")))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "bin"))
            .FirstOrDefault();
    }

    private static string? FindOnPath(string program, Func<string, string?> environment)
    {
        var path = environment("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
    }
}
