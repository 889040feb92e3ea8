using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Fakes;

/// <summary>The users' port in memory, counting failures as the store does.</summary>
internal sealed class InMemoryConsoleUsers(TimeProvider clock) : IConsoleUserStore
{
    private readonly Dictionary<string, ConsoleUser> _users = new(StringComparer.Ordinal);

    public int Failures(string name) => _users[name].FailedSignIns;

    public Task<ConsoleUser?> FindAsync(string name, CancellationToken ct = default) => Task.FromResult(_users.GetValueOrDefault(name));

    public Task<IReadOnlyList<ConsoleUser>> ListAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ConsoleUser>>([.. _users.Values.OrderBy(u => u.Name, StringComparer.Ordinal)]);

    /// <summary>The changes made, in order, as the ledger would name them: (change, name, actor).</summary>
    public List<(string Change, string Name, string Actor)> Changes { get; } = [];

    public Task<bool> AddAsync(ConsoleUser user, string actor, CancellationToken ct = default)
    {
        var added = _users.TryAdd(user.Name, user);
        if (added)
        {
            Changes.Add(("user.added", user.Name, actor));
        }

        return Task.FromResult(added);
    }

    public Task<bool> SetRoleAsync(string name, ConsoleRole role, IReadOnlyList<string> agencies, string actor, CancellationToken ct = default)
    {
        Changes.Add(("user.role", name, actor));
        return Update(name, u => u with { Role = role, Agencies = agencies });
    }

    public Task<bool> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken ct = default) =>
        Update(name, u => u with { Disabled = disabled, FailedSignIns = 0, LockedUntil = null });

    public Task<bool> SetPasswordAsync(string name, string passwordHash, string actor, CancellationToken ct = default) =>
        Update(name, u => u with { PasswordHash = passwordHash, FailedSignIns = 0, LockedUntil = null });

    public Task<DateTimeOffset?> RecordFailedSignInAsync(string name, SignInLockout lockout, CancellationToken ct = default)
    {
        var user = _users[name];
        var failures = user.FailedSignIns + 1;
        DateTimeOffset? until = failures >= lockout.MaxFailures ? clock.GetUtcNow() + lockout.Duration : null;
        _users[name] = user with { FailedSignIns = failures, LockedUntil = until ?? user.LockedUntil };
        return Task.FromResult(until);
    }

    public Task RecordSignInAsync(string name, CancellationToken ct = default) =>
        Update(name, u => u with { FailedSignIns = 0, LockedUntil = null, LastSignInAt = clock.GetUtcNow() });

    private Task<bool> Update(string name, Func<ConsoleUser, ConsoleUser> change)
    {
        if (!_users.TryGetValue(name, out var user))
        {
            return Task.FromResult(false);
        }

        _users[name] = change(user);
        return Task.FromResult(true);
    }
}
