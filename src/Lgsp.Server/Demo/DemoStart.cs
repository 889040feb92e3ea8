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
    public static async Task<DemoSetup> PrepareAsync(IDirectoryStore directory, IConsoleUserStore users, string dataDirectory, HubOptions options, SecretBox secrets,
        CancellationToken ct)
    {
        var file = Path.Combine(dataDirectory, FileName);
        if (File.Exists(file))
        {
            var written = DemoSetup.Read(file);
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

        var setup = await DemoProvince.SeedAsync(directory, Path.Combine(dataDirectory, "pki"), options.Url, secrets, ct);
        setup = setup with { Console = await DemoProvince.SeedConsoleAsync(users, ct) };
        setup.WriteTo(file);
        KeepPrivate(file);
        foreach (var key in Directory.GetFiles(Path.Combine(dataDirectory, "pki"), "*.key.pem"))
        {
            KeepPrivate(key);
        }

        return setup;
    }

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
            $"lgsp hub {options.Id} is listening on {url}",
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
