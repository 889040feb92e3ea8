using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Lgsp.Web.Hosting;

/// <summary>The console's static files (the vendored libraries under <c>wwwroot/lib/</c>, its own CSS
/// and script), embedded in the assembly and served from memory under <c>/console/</c>. Embedding
/// keeps the hub one deployable folder that works from any working directory and in any environment.
/// Each file's URL carries a version (<see cref="Url"/>), so browsers may keep it for a year.</summary>
public sealed class ConsoleAssets
{
    private readonly FrozenDictionary<string, Asset> _assets;

    private ConsoleAssets(FrozenDictionary<string, Asset> assets) => _assets = assets;

    /// <summary>Loads every embedded asset.</summary>
    public static ConsoleAssets Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("console/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = "/" + name.Replace('\\', '/');
            assets[path] = new Asset(bytes, ContentType(path), Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
        }

        return new ConsoleAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The versioned URL of an asset, e.g. <c>/console/lib/htmx/htmx.min.js?v=…</c>.</summary>
    /// <param name="path">The path under wwwroot, e.g. <c>lib/htmx/htmx.min.js</c>.</param>
    /// <exception cref="ArgumentException">No such asset: a page names a file that is not embedded.</exception>
    public string Url(string path)
    {
        var key = "/console/" + path.TrimStart('/');
        return _assets.TryGetValue(key, out var asset) ? $"{key}?v={asset.Version}" : throw new ArgumentException($"No console asset {path}.", nameof(path));
    }

    /// <summary>Serves the asset at the request's path, if there is one.</summary>
    /// <returns>False when no asset has that path.</returns>
    public async Task<bool> TryServeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_assets.TryGetValue(context.Request.Path.Value ?? "", out var asset))
        {
            return false;
        }

        var etag = $"\"{asset.Version}\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = context.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable" : "no-cache";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Bytes.Length;
        await context.Response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
        return true;
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Bytes, string ContentType, string Version);
}
