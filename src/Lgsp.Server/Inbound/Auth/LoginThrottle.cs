using System.Collections.Concurrent;
using System.Net;
using Lgsp.Server.Inbound.Limits;

namespace Lgsp.Server.Inbound.Auth;

/// <summary>Holds off an id or a remote address after too many failed logins
/// (<see cref="LoginLimit"/>), before any secret is checked: a guesser cannot make the hub derive PBKDF2
/// keys on demand, nor go on guessing one id from many addresses or many ids from one address.</summary>
/// <remarks>Ids are counted whether they exist or not, so the throttle tells nothing about which do.
/// The table is bounded (<see cref="MaxTracked"/>): past it, expired entries are dropped first, then new
/// ids are no longer counted (addresses still are). Thread safe.</remarks>
public sealed class LoginThrottle(LoginLimit limit, TimeProvider clock)
{
    /// <summary>The most ids and addresses counted at once.</summary>
    public const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="id"/> (of <paramref name="realm"/>: <c>system</c>, <c>admin</c>)
    /// or <paramref name="address"/> is still held off, or null when neither is.</summary>
    public TimeSpan? HeldOff(string realm, string id, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var until = new[] { Find(IdKey(realm, id)), Find(AddressKey(address)) }
            .Select(e => e?.LockedUntil(now)).Where(u => u is not null).Max();
        return until is { } u ? u - now : null;
    }

    /// <summary>Counts a failed login of <paramref name="id"/> from <paramref name="address"/>.</summary>
    public void Failed(string realm, string id, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        Count(IdKey(realm, id), limit.FailuresPerId, now);
        Count(AddressKey(address), limit.FailuresPerAddress, now);
    }

    /// <summary>Forgets <paramref name="id"/>'s failures after a good login (the address's stay: one good
    /// login must not clear the count of a guesser sharing it).</summary>
    public void Succeeded(string realm, string id) => _entries.TryRemove(IdKey(realm, id), out _);

    /// <summary>Throws when <paramref name="id"/> or <paramref name="address"/> is held off.</summary>
    /// <exception cref="LimitedException">Held off; nothing was checked.</exception>
    public void ThrowIfHeldOff(string realm, string id, IPAddress? address)
    {
        if (HeldOff(realm, id, address) is { } wait)
        {
            throw new LimitedException(LimitErrors.LoginLockedOut, "login", wait);
        }
    }

    private Entry? Find(string key) => _entries.GetValueOrDefault(key);

    private void Count(string key, int max, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= MaxTracked)
            {
                Prune(now);
                if (_entries.Count >= MaxTracked && !key.StartsWith("address:", StringComparison.Ordinal))
                {
                    return;
                }
            }

            entry = _entries.GetOrAdd(key, _ => new Entry());
        }

        entry.Fail(now, max, limit.Window, limit.Lockout);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Expired(now, limit.Window))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static string IdKey(string realm, string id) => realm + ":" + id;

    private static string AddressKey(IPAddress? address) =>
        "address:" + (address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());

    private sealed class Entry
    {
        private int _failures;
        private DateTimeOffset _windowStart;
        private DateTimeOffset _lockedUntil;

        public DateTimeOffset? LockedUntil(DateTimeOffset now)
        {
            lock (this)
            {
                return _lockedUntil > now ? _lockedUntil : null;
            }
        }

        public bool Expired(DateTimeOffset now, TimeSpan window)
        {
            lock (this)
            {
                return _lockedUntil <= now && now - _windowStart > window;
            }
        }

        public void Fail(DateTimeOffset now, int max, TimeSpan window, TimeSpan lockout)
        {
            lock (this)
            {
                if (now - _windowStart > window)
                {
                    (_failures, _windowStart) = (0, now);
                }

                if (++_failures >= max)
                {
                    (_failures, _windowStart, _lockedUntil) = (0, now, now + lockout);
                }
            }
        }
    }
}
