using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Demo;

/// <summary>The zero-configuration start: seeds the demo province into an empty private database
/// (once) and prints what a newcomer needs to try the hub.</summary>
public static class DemoStart
{
    /// <summary>The file the demo credentials are written to, under the data directory.</summary>
    public const string FileName = "demo.json";

    /// <summary>Seeds the demo province into <paramref name="directory"/> on the first start (its systems'
    /// secrets sealed with <paramref name="secrets"/>) and returns its setup; on later starts returns the
    /// setup written then.</summary>
    /// <exception cref="InvalidOperationException">The database has a directory but the demo file is gone.</exception>
    /// <exception cref="InvalidOperationException">The data directory holds the other demo.</exception>
    public static async Task<DemoSetup> PrepareAsync(IDirectoryStore directory, IConsoleUserStore users, string dataDirectory, HubOptions options, SecretBox secrets,
        DemoShape shape, CancellationToken ct)
    {
        var file = Path.Combine(dataDirectory, FileName);
        if (File.Exists(file))
        {
            var written = DemoSetup.Read(file);
            if (written.Shape != shape)
            {
                throw new InvalidOperationException(
                    $"{dataDirectory} holds the {Word(written.Shape)} demo, not the {Word(shape)} demo: start with --demo {Word(written.Shape)}, or choose another --Hub:DataDirectory.");
            }

            if (written.Console is not null)
            {
                return written;
            }

            // Written before the console existed: its users are added once, to the same file.
            written = written with { Console = await DemoProvince.SeedConsoleAsync(users, ct) };
            written.WriteTo(file);
            return written;
        }

        if ((await directory.ListAgenciesAsync(ct: ct)).Count > 0)
        {
            throw new InvalidOperationException(
                $"{file} is missing but the private database already holds a directory; its demo secrets cannot be recovered. "
                + $"Stop the hub and delete {dataDirectory} to start afresh.");
        }

        var setup = await DemoProvince.SeedAsync(directory, Path.Combine(dataDirectory, "pki"), options.Url, secrets, shape, ct);
        setup = setup with { Console = await DemoProvince.SeedConsoleAsync(users, ct) };
        setup.WriteTo(file);
        KeepPrivate(file);
        foreach (var key in Directory.GetFiles(Path.Combine(dataDirectory, "pki"), "*.key.pem"))
        {
            KeepPrivate(key);
        }

        return setup;
    }

    /// <summary>The demo <c>--demo</c> (or <c>Hub:Demo</c>) asks for: <c>province</c> (the default) or <c>child</c>.</summary>
    /// <exception cref="InvalidOperationException">Another word.</exception>
    public static DemoShape Shape(IConfiguration configuration)
    {
        var word = configuration["demo"] ?? configuration["Hub:Demo"];
        return string.IsNullOrWhiteSpace(word) ? DemoShape.Province : word.Trim().ToLowerInvariant() switch
        {
            "province" => DemoShape.Province,
            "child" => DemoShape.Child,
            _ => throw new InvalidOperationException($"--demo is '{word}'; it must be province (the default) or child."),
        };
    }

    /// <summary>The child demo runs beside the province demo on one machine: its own id, port and data
    /// directory, each where the configuration does not name one.</summary>
    public static void ApplyChildDefaults(ConfigurationManager configuration)
    {
        var defaults = new Dictionary<string, string?>();
        foreach (var (key, value) in new[] { ("Hub:Id", DemoProvince.ChildHubId), ("Hub:Url", ChildUrl), ("Hub:DataDirectory", ChildDataDirectory) })
        {
            if (string.IsNullOrEmpty(configuration[key]))
            {
                defaults[key] = value;
            }
        }

        configuration.AddInMemoryCollection(defaults);
    }

    /// <summary>The child demo's URL when none is configured.</summary>
    public const string ChildUrl = "http://127.0.0.1:8081";

    /// <summary>The child demo's data directory when none is configured.</summary>
    public const string ChildDataDirectory = "var-child";

    private static string Word(DemoShape shape) => shape == DemoShape.Child ? "child" : "province";

    /// <summary>Secrets and keys, even demo ones, are readable by their owner only.</summary>
    private static void KeepPrivate(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Prints the URLs and, for the demo, the credentials.</summary>
    public static void PrintBanner(string url, HubOptions options, DemoSetup? demo)
    {
        url = url.TrimEnd('/');
        var lines = new List<string>
        {
            $"lgsp hub {options.Id} is listening on {url}{(demo?.Shape == DemoShape.Child ? " (the child demo: link it under the province demo as README.md shows)" : "")}",
            $"  SOAP endpoint   {url}/soap/edoc",
            $"  axis protocol   {url}{options.Axis.BasePath.TrimEnd('/')} (HMAC with the same system id and secret)",
            $"  WSDL            {url}/soap/edoc?wsdl",
            $"  health          {url}/health/live  {url}/health/ready",
            $"  metrics         {url}/metrics",
            $"  trace API       {url}/admin/api/documents/{{documentId}}/trace (administrator)",
            $"  console         {url}/console/",
            $"  jobs dashboard  {url}/hangfire (administrator: {options.Admin.User}{(demo is null ? "" : ", password " + options.Admin.Password)})",
        };
        if (demo is not null)
        {
            lines.Add($"  demo trust root {demo.TrustRoot}");
            lines.Add($"  demo client systems (HTTP Basic id / secret; keys and certificates in {Path.Combine(Path.GetFullPath(options.DataDirectory), FileName)}):");
            lines.AddRange(demo.Systems.Select(s => $"    {s.Id,-20} {s.Secret}  {string.Join(", ", s.Agencies)}"));
            if (demo.Auditor is { } auditor)
            {
                lines.Add($"    {auditor.Id,-20} {auditor.Secret}  auditor: may trace any document");
            }

            if (demo.Console is { Count: > 0 } console)
            {
                lines.Add($"  demo console users ({url}/console/login):");
                lines.AddRange(console.Select(u => $"    {u.User,-20} {u.Password}  {u.Role}"));
            }
        }

        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
