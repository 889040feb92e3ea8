using System.CommandLine;
using Lgsp.Cli.Commands;

namespace Lgsp.Cli;

/// <summary>The root of the <c>lgsp</c> command line.</summary>
public static class LgspCommand
{
    /// <summary>Exit code: the command did what was asked and everything checked out.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: the input was judged and found wanting (invalid, not verified).</summary>
    public const int Failed = 1;

    /// <summary>Exit code: the command could not run (bad arguments, unreadable files).</summary>
    public const int Usage = 2;

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create() => new("lgsp: the LGSP document-exchange hub's command line")
    {
        EdxmlCommands.Create(),
        PkiCommands.Create(),
        AgenciesCommands.Create(),
        SystemsCommands.Create(),
        HubsCommands.Create(),
        TrustCommands.CreateTrust(),
        TrustCommands.CreateCrl(),
        DeliveriesCommands.Create(),
        TraceCommand.Create(),
        AuditCommands.Create(),
        ReplayCommand.Create(),
        UsersCommands.Create(),
        CalendarCommands.Create(),
        ReportCommand.Create(),
    };

    /// <summary>Parses and runs a command line. Arguments the parser refuses (a missing required
    /// option, an unknown command) exit <see cref="Usage"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="configuration">Where output goes; the console when null.</param>
    public static int Run(string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = Create().Parse(args);
        var exit = parse.Invoke(configuration ?? new InvocationConfiguration());
        return parse.Errors.Count > 0 ? Usage : exit;
    }
}
