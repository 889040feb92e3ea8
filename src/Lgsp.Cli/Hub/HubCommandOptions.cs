using System.CommandLine;
using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Postgres.Hosting;

namespace Lgsp.Cli.Hub;

/// <summary>The options every command on the hub's database takes (which database, who acts,
/// which language), spelled once and recursive from the command group that adds them; and the
/// one way those commands open the database and report errors.</summary>
internal sealed class HubCommandOptions
{
    public Option<string?> Database { get; } = new("--database")
    {
        Description = $"The hub's database (an Npgsql connection string). Default: ${HubConnection.ConnectionStringVariable}, else the private cluster in DIR/pg (see --data).",
        HelpName = "CONNECTION-STRING",
        Recursive = true,
    };

    public Option<string?> Data { get; } = new("--data")
    {
        Description = $"The hub's data directory, holding the private cluster in pg/, or where pg.location points (default: ${HubConnection.DataDirectoryVariable}, else ./{HubConnection.DefaultDataDirectory}).",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string?> SecretKey { get; } = new("--secret-key")
    {
        Description = "The hub's secret key, which seals client secrets for the axis protocol (created when missing). Default: DIR/keys/secret.key (see --data).",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string?> Actor { get; } = new("--actor")
    {
        Description = "Who makes the change, as recorded in the ledger (default: operator:<user name>).",
        HelpName = "NAME",
        Recursive = true,
    };

    public Option<bool> Vietnamese { get; } = new("--vi")
    {
        Description = "Errors in Vietnamese (Thông báo lỗi bằng tiếng Việt).",
        Recursive = true,
    };

    /// <summary>Adds the options to a command group; its subcommands inherit them.</summary>
    public Command AddTo(Command group)
    {
        group.Options.Add(Database);
        group.Options.Add(Data);
        group.Options.Add(SecretKey);
        group.Options.Add(Actor);
        group.Options.Add(Vietnamese);
        return group;
    }

    /// <summary>The hub's secret key (the same file the server loads from <c>Hub:SecretKeyPath</c>),
    /// created when missing.</summary>
    public SecretBox SecretBoxOf(ParseResult parse)
    {
        var path = parse.GetValue(SecretKey) is { } given && !string.IsNullOrWhiteSpace(given)
            ? given
            : Path.Combine(parse.GetValue(Data) is { } data && !string.IsNullOrWhiteSpace(data)
                ? data
                : System.Environment.GetEnvironmentVariable(HubConnection.DataDirectoryVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : HubConnection.DefaultDataDirectory,
                "keys", "secret.key");
        return SecretBox.LoadOrCreate(Path.GetFullPath(path));
    }

    /// <summary>The actor recorded in the ledger.</summary>
    public string ActorOf(ParseResult parse) =>
        parse.GetValue(Actor) is { } actor && !string.IsNullOrWhiteSpace(actor) ? actor.Trim() : $"operator:{System.Environment.UserName}";

    /// <summary>Writes an error in the form <c>CODE field: message</c> on standard error.</summary>
    public void WriteError(ParseResult parse, EdxmlError error) =>
        parse.InvocationConfiguration.Error.WriteLine($"{error.Code} {error.Field}: {(parse.GetValue(Vietnamese) ? error.MessageVi : error.Message)}");

    /// <summary>Opens the configured database, runs <paramref name="body"/> on it and closes it again.
    /// A refusal by the hub (<see cref="ExchangeException"/>) is printed as <c>CODE field: message</c>
    /// and exits <see cref="LgspCommand.Failed"/>; a database that cannot be reached exits
    /// <see cref="LgspCommand.Usage"/>.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<HubDatabase, Task<int>> body, CancellationToken ct)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var choice = HubConnection.Choose(parse.GetValue(Database), parse.GetValue(Data), System.Environment.GetEnvironmentVariable);
            await using var hub = await HubConnection.OpenAsync(choice, error.WriteLine, ct);
            return await body(hub);
        }
        catch (ExchangeException ex)
        {
            WriteError(parse, ex.Error);
            return LgspCommand.Failed;
        }
        catch (HubUnavailableException ex)
        {
            error.WriteLine(ex.Message);
            return LgspCommand.Usage;
        }
        catch (Npgsql.NpgsqlException ex)
        {
            error.WriteLine($"database error: {ex.Message}");
            return LgspCommand.Usage;
        }
    }

    /// <summary>Reports a usage error (a bad argument) and returns <see cref="LgspCommand.Usage"/>.</summary>
    public static int Usage(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine(message);
        return LgspCommand.Usage;
    }

    /// <summary>Reports a usage error found by a check (an agency code, say) and returns <see cref="LgspCommand.Usage"/>.</summary>
    public int Usage(ParseResult parse, EdxmlError error)
    {
        WriteError(parse, error);
        return LgspCommand.Usage;
    }

    /// <summary>An agency code argument, normalised, or null after reporting why it is invalid.</summary>
    public string? Code(ParseResult parse, string text, string field)
    {
        if (Edxml.Agencies.AgencyCode.Check(text, field) is { } invalid)
        {
            WriteError(parse, invalid);
            return null;
        }

        return Edxml.Agencies.AgencyCode.Parse(text).Value;
    }

    /// <summary>A code naming an agency already in the directory: <see cref="Code"/>, or a code in neither
    /// form kept exactly as written (trimmed), which only an agency added with <c>--nonstandard</c> has;
    /// whether the directory holds it is the store's check.</summary>
    public string? KnownCode(ParseResult parse, string text, string field) =>
        Edxml.Agencies.AgencyCode.IsNonStandard(text, out var token) ? token : Code(parse, text, field);

    /// <summary>A file argument that must exist, or null after reporting it missing.</summary>
    public static FileInfo? ExistingFile(ParseResult parse, FileInfo file)
    {
        if (file.Exists)
        {
            return file;
        }

        parse.InvocationConfiguration.Error.WriteLine($"{file.FullName}: no such file");
        return null;
    }
}
