using System.CommandLine;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp edxml ...</c>: the format core on the command line.</summary>
internal static class EdxmlCommands
{
    public static Command Create() => new("edxml", "Read, validate, build, sign and verify edXML packages (QCVN 102:2016).")
    {
        ValidateCommand.Create(),
        InspectCommand.Create(),
        SignCommand.Create(),
        VerifyCommand.Create(),
        NewCommand.Create(),
        StatusCommand.Create(),
    };
}
