using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Tests.Fakes;

namespace Lgsp.Exchange.Tests.People;

/// <summary>Signing a person in from the single sign-on's claims: the console user it makes, the role
/// mapped again at each sign-in, and the refusals.</summary>
public sealed class SsoSignInTests
{
    private const string Finance = "000.00.02.H56";
    private const string HomeAffairs = "000.00.03.H56";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Now);
    private readonly InMemoryConsoleUsers _users;
    private readonly SsoSignIn _signIn;

    public SsoSignInTests()
    {
        _users = new InMemoryConsoleUsers(_clock);
        _signIn = new SsoSignIn(_users, new InMemoryDirectory([Agency(Finance), Agency(HomeAffairs)]), _clock);
    }

    [Fact]
    public async Task The_first_sign_in_makes_the_sso_user_with_the_mapped_role_and_no_password()
    {
        var result = await _signIn.SignInAsync(new SsoIdentity("abc-123", ["auditor"], []), SsoRoleMap.RoleWordsOnly);

        Assert.Equal(SsoSignInOutcome.SignedIn, result.Outcome);
        var user = (await _users.FindAsync("sso:abc-123"))!;
        Assert.Equal((ConsoleRole.Auditor, "sso", (string?)null, Now), (user.Role, user.Source, user.PasswordHash, user.LastSignInAt!.Value));
        Assert.Equal([("user.added", "sso:abc-123", "user:sso:abc-123")], _users.Changes);
    }

    [Fact]
    public async Task An_agency_clerk_keeps_only_the_agencies_the_directory_knows()
    {
        var result = await _signIn.SignInAsync(new SsoIdentity("vt", ["agency"], [HomeAffairs, "000.00.99.H56", Finance]), SsoRoleMap.RoleWordsOnly);

        Assert.Equal(SsoSignInOutcome.SignedIn, result.Outcome);
        Assert.Equal([Finance, HomeAffairs], (await _users.FindAsync("sso:vt"))!.Agencies);
    }

    [Fact]
    public async Task An_agency_clerk_whose_agencies_are_all_unknown_is_refused_and_nothing_is_made()
    {
        var result = await _signIn.SignInAsync(new SsoIdentity("vt", ["agency"], ["000.00.99.H56"]), SsoRoleMap.RoleWordsOnly);

        Assert.Equal(new SsoSignInResult(SsoSignInOutcome.NoAgency), result);
        Assert.Null(await _users.FindAsync("sso:vt"));
    }

    [Fact]
    public async Task A_person_whose_claims_map_to_no_role_is_refused_and_nothing_is_made()
    {
        var result = await _signIn.SignInAsync(new SsoIdentity("nv", ["nhanvien"], [Finance]), SsoRoleMap.RoleWordsOnly);

        Assert.Equal(new SsoSignInResult(SsoSignInOutcome.NoRole), result);
        Assert.Empty(_users.Changes);
    }

    [Fact]
    public async Task The_role_and_agencies_are_mapped_again_at_each_sign_in_and_the_change_is_recorded()
    {
        await _signIn.SignInAsync(new SsoIdentity("vt", ["agency"], [Finance]), SsoRoleMap.RoleWordsOnly);
        await _signIn.SignInAsync(new SsoIdentity("vt", ["agency"], [Finance]), SsoRoleMap.RoleWordsOnly);

        var result = await _signIn.SignInAsync(new SsoIdentity("vt", ["auditor"], [Finance]), SsoRoleMap.RoleWordsOnly);

        Assert.Equal((ConsoleRole.Auditor, 0), (result.User!.Role, result.User.Agencies.Count));
        Assert.Equal((ConsoleRole.Auditor, 0), ((await _users.FindAsync("sso:vt"))!.Role, (await _users.FindAsync("sso:vt"))!.Agencies.Count));
        Assert.Equal([("user.added", "sso:vt", "user:sso:vt"), ("user.role", "sso:vt", "user:sso:vt")], _users.Changes);
    }

    [Fact]
    public async Task A_disabled_sso_user_stays_refused_whatever_the_claims_say()
    {
        await _signIn.SignInAsync(new SsoIdentity("kt", ["auditor"], []), SsoRoleMap.RoleWordsOnly);
        await _users.SetDisabledAsync("sso:kt", true, "user:admin");

        var result = await _signIn.SignInAsync(new SsoIdentity("kt", ["admin"], []), SsoRoleMap.RoleWordsOnly);

        Assert.Equal(new SsoSignInResult(SsoSignInOutcome.Disabled), result);
        Assert.Equal(ConsoleRole.Auditor, (await _users.FindAsync("sso:kt"))!.Role);
    }

    [Fact]
    public async Task A_local_account_named_like_an_sso_user_is_not_taken_over()
    {
        await _users.AddAsync(new ConsoleUser("sso:lan", ConsoleRole.Agency, [Finance], "local", "hash", false, 0, null, Now, null), "operator:an");

        var result = await _signIn.SignInAsync(new SsoIdentity("lan", ["admin"], []), SsoRoleMap.RoleWordsOnly);

        Assert.Equal(new SsoSignInResult(SsoSignInOutcome.InvalidSubject), result);
        Assert.Equal(ConsoleRole.Agency, (await _users.FindAsync("sso:lan"))!.Role);
    }

    [Fact]
    public async Task A_subject_that_makes_no_console_user_name_is_refused() =>
        Assert.Equal(new SsoSignInResult(SsoSignInOutcome.InvalidSubject),
            await _signIn.SignInAsync(new SsoIdentity("a b/c", ["auditor"], []), SsoRoleMap.RoleWordsOnly));

    private static Agency Agency(string code) => new(code, code, null, AgencyTier.Department, true, null, null, default);
}
