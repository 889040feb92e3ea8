using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Fakes;

namespace Lgsp.Exchange.Tests.People;

/// <summary>Signing in to the console: the password, disabled users and the lockout.</summary>
public sealed class ConsoleSignInTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Now);
    private readonly InMemoryConsoleUsers _users;

    public ConsoleSignInTests() => _users = new InMemoryConsoleUsers(_clock);

    [Fact]
    public async Task The_right_password_signs_in_and_forgets_earlier_failures()
    {
        var signIn = Add("lan", "correct horse");
        await signIn.SignInAsync("lan", "wrong");

        var result = await signIn.SignInAsync("lan", "correct horse");

        Assert.Equal(SignInOutcome.SignedIn, result.Outcome);
        Assert.Equal("lan", result.User!.Name);
        Assert.Equal(0, _users.Failures("lan"));
    }

    [Fact]
    public async Task An_unknown_name_and_a_wrong_password_get_the_same_refusal()
    {
        var signIn = Add("lan", "correct horse");

        var unknown = await signIn.SignInAsync("nobody", "correct horse");
        var wrong = await signIn.SignInAsync("lan", "wrong");

        Assert.Equal(new SignInResult(SignInOutcome.Refused), unknown);
        Assert.Equal(new SignInResult(SignInOutcome.Refused), wrong);
    }

    [Fact]
    public async Task The_failure_that_reaches_the_limit_locks_and_the_lock_holds_against_the_right_password_until_it_ends()
    {
        var signIn = Add("lan", "correct horse", new SignInLockout(3, TimeSpan.FromMinutes(10)));

        Assert.Equal(SignInOutcome.Refused, (await signIn.SignInAsync("lan", "a")).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await signIn.SignInAsync("lan", "b")).Outcome);
        var third = await signIn.SignInAsync("lan", "c");
        var right = await signIn.SignInAsync("lan", "correct horse");
        var failuresWhileLocked = _users.Failures("lan");
        _clock.Now = Now.AddMinutes(10).AddSeconds(1);
        var later = await signIn.SignInAsync("lan", "correct horse");

        Assert.Equal(new SignInResult(SignInOutcome.LockedOut, LockedUntil: Now.AddMinutes(10)), third);
        Assert.Equal(new SignInResult(SignInOutcome.LockedOut, LockedUntil: Now.AddMinutes(10)), right);
        Assert.Equal(3, failuresWhileLocked);
        Assert.Equal(SignInOutcome.SignedIn, later.Outcome);
        Assert.Equal(0, _users.Failures("lan"));
    }

    [Fact]
    public async Task A_disabled_user_with_the_right_password_is_told_so_and_is_not_signed_in()
    {
        var signIn = Add("lan", "correct horse");
        await _users.SetDisabledAsync("lan", true, "operator:an");

        var result = await signIn.SignInAsync("lan", "correct horse");

        Assert.Equal(new SignInResult(SignInOutcome.Disabled), result);
    }

    [Fact]
    public async Task An_account_without_a_local_password_cannot_sign_in_with_one()
    {
        var signIn = new ConsoleSignIn(_users, _clock);
        await _users.AddAsync(new ConsoleUser("sso:123", ConsoleRole.Auditor, [], "sso", null, false, 0, null, Now, null), "hub");

        Assert.Equal(SignInOutcome.Refused, (await signIn.SignInAsync("sso:123", "")).Outcome);
    }

    private ConsoleSignIn Add(string name, string password, SignInLockout? lockout = null)
    {
        _users.AddAsync(new ConsoleUser(name, ConsoleRole.Operator, [], "local", SecretHash.Hash(password), false, 0, null, Now, null), "operator:an").GetAwaiter().GetResult();
        return new ConsoleSignIn(_users, _clock, lockout);
    }
}
