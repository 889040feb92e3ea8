using System.Text.RegularExpressions;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Hub;

/// <summary><c>lgsp users ...</c>: the console's users, against a real database.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class UsersCommandsTests(PostgresFixture fixture)
{
    private const string Province = "000.00.00.H56";
    private const string Finance = "000.00.01.H56";

    [Fact]
    public async Task Add_prints_a_generated_password_once_that_verifies_against_the_stored_hash_and_records_the_user()
    {
        await using var db = await AgenciesAsync();

        var output = db.Ok("users", "add", "--name", "lan", "--role", "operator", "--actor", "operator:an");

        var password = PasswordLine().Match(output).Groups[1].Value;
        Assert.True(password.Length >= 20, output);
        var user = await Users(db).FindAsync("lan");
        Assert.NotNull(user);
        Assert.Equal(ConsoleRole.Operator, user.Role);
        Assert.Equal("local", user.Source);
        Assert.True(SecretHash.Verify(password, user.PasswordHash!));
        var entry = Assert.Single(await db.LedgerAsync(), e => e.Kind == "user.changed");
        Assert.Equal("operator:an", entry.Actor);
        Assert.Contains("\"change\": \"user.added\"", entry.Detail);
        Assert.DoesNotContain(password, entry.Detail);
    }

    [Fact]
    public async Task An_agency_clerk_needs_known_agencies_and_other_roles_take_none()
    {
        await using var db = await AgenciesAsync();

        db.Ok("users", "add", "--name", "vanthu", "--role", "agency", "--agency", Finance);
        var none = db.Run("users", "add", "--name", "vanthu2", "--role", "agency");
        var unknown = db.Run("users", "add", "--name", "vanthu3", "--role", "agency", "--agency", "000.00.09.H56");
        var operatorWithAgency = db.Run("users", "add", "--name", "lan", "--role", "operator", "--agency", Finance);
        var badRole = db.Run("users", "add", "--name", "lan", "--role", "superuser");

        Assert.Equal([Finance], (await Users(db).FindAsync("vanthu"))!.Agencies);
        Assert.Equal(2, none.Exit);
        Assert.Equal(1, unknown.Exit);
        Assert.StartsWith("NotFound --agency: ", unknown.Error);
        Assert.Equal(2, operatorWithAgency.Exit);
        Assert.Equal(2, badRole.Exit);
        Assert.Null(await Users(db).FindAsync("vanthu2"));
        Assert.Null(await Users(db).FindAsync("lan"));
    }

    [Fact]
    public async Task Adding_a_name_twice_fails_and_keeps_the_first_password()
    {
        await using var db = await AgenciesAsync();
        db.Ok("users", "add", "--name", "lan", "--role", "auditor");
        var hash = (await Users(db).FindAsync("lan"))!.PasswordHash;

        var again = db.Run("users", "add", "--name", "lan", "--role", "admin");

        Assert.Equal(1, again.Exit);
        Assert.Contains("lgsp users password lan", again.Error);
        var user = await Users(db).FindAsync("lan");
        Assert.Equal(ConsoleRole.Auditor, user!.Role);
        Assert.Equal(hash, user.PasswordHash);
    }

    [Fact]
    public async Task Disable_enable_and_password_change_the_user_and_list_shows_each_state()
    {
        await using var db = await AgenciesAsync();
        db.Ok("users", "add", "--name", "lan", "--role", "operator");
        db.Ok("users", "add", "--name", "vanthu", "--role", "agency", "--agency", Finance);

        db.Ok("users", "disable", "lan");
        Assert.Matches(@"lan\s+│\s+operator\s+│\s+-\s+│\s+local\s+│\s+disabled", db.Ok("users", "list"));

        db.Ok("users", "enable", "lan");
        var listed = db.Ok("users", "list");
        Assert.Matches(@"lan\s+│\s+operator\s+│\s+-\s+│\s+local\s+│\s+active", listed);
        Assert.Matches($@"vanthu\s+│\s+agency\s+│\s+{Regex.Escape(Finance)}\s+│\s+local\s+│\s+active", listed);

        var output = db.Ok("users", "password", "lan");
        var password = Regex.Match(output, @"new password for lan: (\S+)").Groups[1].Value;
        Assert.True(SecretHash.Verify(password, (await Users(db).FindAsync("lan"))!.PasswordHash!));

        var changes = (await db.LedgerAsync()).Where(e => e.Kind == "user.changed").Select(e => Regex.Match(e.Detail, "\"change\": \"([^\"]+)\"").Groups[1].Value);
        Assert.Equal(["user.added", "user.added", "user.disabled", "user.enabled", "user.password"], changes);
    }

    [Fact]
    public async Task A_password_change_lifts_a_lockout()
    {
        await using var db = await AgenciesAsync();
        db.Ok("users", "add", "--name", "lan", "--role", "operator");
        var store = Users(db);
        var lockout = new SignInLockout(2, TimeSpan.FromHours(1));
        await store.RecordFailedSignInAsync("lan", lockout);
        Assert.NotNull(await store.RecordFailedSignInAsync("lan", lockout));
        Assert.Matches(@"lan\s+│\s+operator\s+│\s+-\s+│\s+local\s+│\s+locked until", db.Ok("users", "list"));

        db.Ok("users", "password", "lan");

        var user = await store.FindAsync("lan");
        Assert.Null(user!.LockedUntil);
        Assert.Equal(0, user.FailedSignIns);
    }

    [Fact]
    public async Task Commands_on_an_unknown_user_fail_naming_it()
    {
        await using var db = await AgenciesAsync();

        foreach (var verb in new[] { "disable", "enable", "password" })
        {
            var result = db.Run("users", verb, "nobody");
            Assert.Equal(1, result.Exit);
            Assert.StartsWith("NotFound NAME: ", result.Error);
            Assert.Contains("nobody", result.Error);
        }
    }

    [Fact]
    public async Task A_name_that_is_not_a_user_name_is_a_usage_error()
    {
        await using var db = await AgenciesAsync();

        var result = db.Run("users", "add", "--name", "lan nguyen", "--role", "operator");

        Assert.Equal(2, result.Exit);
        Assert.Contains("--name", result.Error);
    }

    [Fact]
    public async Task A_name_kept_for_single_sign_on_users_is_a_usage_error()
    {
        await using var db = await AgenciesAsync();

        var result = db.Run("users", "add", "--name", "sso:lan", "--role", "admin");

        Assert.Equal(2, result.Exit);
        Assert.Contains("sso:", result.Error);
        Assert.Null(await Users(db).FindAsync("sso:lan"));
    }

    [Fact]
    public async Task List_shows_a_single_sign_on_user_with_its_source()
    {
        await using var db = await AgenciesAsync();
        await new SsoSignIn(Users(db), new PostgresDirectoryStore(db.DataSource, TimeProvider.System), TimeProvider.System)
            .SignInAsync(new SsoIdentity("f3a9", ["agency"], [Finance]), SsoRoleMap.RoleWordsOnly);

        Assert.Matches($@"sso:f3a9\s+│\s+agency\s+│\s+{Regex.Escape(Finance)}\s+│\s+sso\s+│\s+active", db.Ok("users", "list"));
    }

    private static PostgresConsoleUserStore Users(HubDatabase db) => new(db.DataSource, TimeProvider.System);

    private async Task<HubDatabase> AgenciesAsync()
    {
        var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", Province, "--name", "UBND tỉnh Thanh Hóa", "--tier", "province");
        db.Ok("agencies", "add", Finance, "--name", "Sở Tài chính", "--tier", "department", "--parent", Province);
        return db;
    }

    [GeneratedRegex(@"password: (\S+)")]
    private static partial Regex PasswordLine();
}
