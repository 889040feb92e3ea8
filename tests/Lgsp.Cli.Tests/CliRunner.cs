using System.CommandLine;
using Lgsp.TestSupport;

namespace Lgsp.Cli.Tests;

/// <summary>Runs the lgsp command in-process with captured output.</summary>
internal static class CliRunner
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = LgspCommand.Run(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    public static string Repo(params string[] parts) => RepositoryRoot.File(parts);

    public static string Sample(string name) => Repo("samples", "vxp-sdk", name);
}
