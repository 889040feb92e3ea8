using System.Collections.Concurrent;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Directory;

/// <summary>Keeps when each client system last called the hub, to the minute: the authenticators tell
/// it of every authenticated call, and it writes at most once a minute per system, so that a busy
/// system costs one small update a minute, not one per request.</summary>
/// <remarks>Thread safe. Each hub instance writes its own minute; the store keeps the latest.</remarks>
public sealed class ClientCallLog(IDirectoryStore directory, TimeProvider clock)
{
    /// <summary>How finely calls are kept.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new(StringComparer.Ordinal);

    /// <summary>Notes an authenticated call by <paramref name="systemId"/>.</summary>
    public Task RecordAsync(string systemId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (_written.TryGetValue(systemId, out var last) && now - last < Resolution)
        {
            return Task.CompletedTask;
        }

        _written[systemId] = now;
        return directory.RecordClientCallAsync(systemId, now, ct);
    }
}
