using System.CommandLine;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.People;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp users ...</c>: the people who sign in to the console (not client systems).</summary>
internal static class UsersCommands
{
    public static Command Create()
    {
        var hub = new HubCommandOptions();
        return hub.AddTo(new Command("users", "Console users: the administrators, operators, auditors and agency clerks who sign in at /console.")
        {
            Add(hub), List(hub), Disable(hub), Enable(hub), Password(hub),
        });
    }

    private static Option<bool> PasswordStdin() =>
        new("--password-stdin") { Description = "Read the password from the first line of standard input instead of generating one." };

    private static Command Add(HubCommandOptions hub)
    {
        var name = new Option<string>("--name") { Description = "The sign-in name (letters, digits, . _ - @).", Required = true };
        var role = new Option<string>("--role") { Description = "admin, operator, auditor or agency.", Required = true };
        var agencies = new Option<string[]>("--agency")
        {
            Description = "For --role agency: an agency whose documents the clerk reads (repeat for several).",
            HelpName = "CODE",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var stdin = PasswordStdin();
        var command = new Command("add", "Add a console user. Without --password-stdin a password is generated and printed once.") { name, role, agencies, stdin };
        command.SetAction((parse, ct) =>
        {
            var userName = parse.GetValue(name)!.Trim();
            if (!ConsoleUsers.IsValidLocalName(userName))
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"--name: '{userName}' is not a console user name (1-64 letters, digits, . _ - @; sso: names are kept for single sign-on users)"));
            }

            if (ConsoleRoles.Parse(parse.GetValue(role)) is not { } userRole)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"--role: '{parse.GetValue(role)}' is not a role (admin, operator, auditor or agency)"));
            }

            var codes = new List<string>();
            foreach (var text in parse.GetValue(agencies) ?? [])
            {
                if (hub.Code(parse, text, "--agency") is not { } code)
                {
                    return Task.FromResult(LgspCommand.Usage);
                }

                codes.Add(code);
            }

            if ((userRole == ConsoleRole.Agency) != (codes.Count > 0))
            {
                return Task.FromResult(hub.Usage(parse, HubErrors.Create(HubErrorCode.UserAgenciesMismatch, "--agency")));
            }

            if (ChoosePassword(parse, stdin) is not { } password)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            return hub.RunAsync(parse, async connection =>
            {
                var accounts = new ConsoleUserAccounts(connection.Users, connection.Directory, TimeProvider.System);
                ConsoleUser user;
                try
                {
                    (user, _) = await accounts.AddAsync(userName, userRole, codes, password.Text, hub.ActorOf(parse), ct);
                }
                catch (ExchangeException refused) when (refused.Error.Code == HubErrorCode.UserExists)
                {
                    hub.WriteError(parse, refused.Error with { Field = "--name" });
                    parse.InvocationConfiguration.Error.WriteLine($"(use 'lgsp users password {userName}' to give it a new password)");
                    return LgspCommand.Failed;
                }
                catch (ExchangeException refused)
                {
                    hub.WriteError(parse, refused.Error with { Field = "--" + refused.Error.Field });
                    return LgspCommand.Failed;
                }

                var output = parse.InvocationConfiguration.Output;
                output.WriteLine($"added {user.Name} ({userRole.Word()}{(codes.Count > 0 ? ": " + string.Join(", ", codes) : "")})");
                if (password.Generated)
                {
                    output.WriteLine($"password: {password.Text}");
                    output.WriteLine("(shown once: give it to the person now)");
                }

                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private static Command List(HubCommandOptions hub)
    {
        var command = new Command("list", "List the console users with their role, agencies, source and state.");
        command.SetAction((parse, ct) => hub.RunAsync(parse, async connection =>
        {
            var table = Tables.Create("name", "role", "agencies", "source", "state", "last sign-in", "created");
            foreach (var user in await connection.Users.ListAsync(ct))
            {
                var state = user.Disabled ? "disabled" : user.LockedUntil > DateTimeOffset.UtcNow ? $"locked until {Tables.Time(user.LockedUntil)}" : "active";
                table.AddText(user.Name, user.Role.Word(), string.Join(", ", user.Agencies), user.Source, state, Tables.Time(user.LastSignInAt), Tables.Time(user.CreatedAt));
            }

            Tables.Console(parse.InvocationConfiguration.Output).Write(table);
            return LgspCommand.Ok;
        }, ct));
        return command;
    }

    private static Command Disable(HubCommandOptions hub) => SetDisabled(hub, "disable", "Disable a console user: sign-in is refused from now on.", true);

    private static Command Enable(HubCommandOptions hub) => SetDisabled(hub, "enable", "Enable a disabled console user again (any lockout is lifted).", false);

    private static Command SetDisabled(HubCommandOptions hub, string verb, string description, bool disabled)
    {
        var name = new Argument<string>("NAME") { Description = "The user." };
        var command = new Command(verb, description) { name };
        command.SetAction((parse, ct) => hub.RunAsync(parse, async connection =>
        {
            var userName = parse.GetValue(name)!.Trim();
            if (!await connection.Users.SetDisabledAsync(userName, disabled, hub.ActorOf(parse), ct))
            {
                hub.WriteError(parse, HubErrors.Create(HubErrorCode.NotFound, "NAME", "Console user", userName));
                return LgspCommand.Failed;
            }

            parse.InvocationConfiguration.Output.WriteLine($"{verb}d {userName}");
            return LgspCommand.Ok;
        }, ct));
        return command;
    }

    private static Command Password(HubCommandOptions hub)
    {
        var name = new Argument<string>("NAME") { Description = "The user." };
        var stdin = PasswordStdin();
        var command = new Command("password", "Give a console user a new password (generated and printed once unless --password-stdin) and lift any lockout.") { name, stdin };
        command.SetAction((parse, ct) =>
        {
            if (ChoosePassword(parse, stdin) is not { } password)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            return hub.RunAsync(parse, async connection =>
            {
                var userName = parse.GetValue(name)!.Trim();
                var accounts = new ConsoleUserAccounts(connection.Users, connection.Directory, TimeProvider.System);
                if (await accounts.ResetPasswordAsync(userName, password.Text, hub.ActorOf(parse), ct) is null)
                {
                    hub.WriteError(parse, HubErrors.Create(HubErrorCode.NotFound, "NAME", "Console user", userName));
                    return LgspCommand.Failed;
                }

                var output = parse.InvocationConfiguration.Output;
                output.WriteLine($"new password for {userName}{(password.Generated ? ": " + password.Text : "")}");
                if (password.Generated)
                {
                    output.WriteLine("(shown once: give it to the person now; the old password no longer works)");
                }

                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }

    private sealed record ChosenPassword(string Text, bool Generated);

    private static ChosenPassword? ChoosePassword(ParseResult parse, Option<bool> stdin)
    {
        if (!parse.GetValue(stdin))
        {
            return new ChosenPassword(ConsoleUserAccounts.GeneratePassword(), true);
        }

        var text = Console.In.ReadLine()?.TrimEnd('\r', '\n') ?? "";
        if (text.Length < ConsoleUserAccounts.MinimumPasswordLength)
        {
            HubCommandOptions.Usage(parse, $"--password-stdin: a password has at least {ConsoleUserAccounts.MinimumPasswordLength} characters");
            return null;
        }

        return new ChosenPassword(text, false);
    }
}
