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
    };
}
