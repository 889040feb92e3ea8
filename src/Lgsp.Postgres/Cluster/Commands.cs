using System.ComponentModel;
using System.Diagnostics;

namespace Lgsp.Postgres.Cluster;

/// <summary>What a finished command printed and how it exited.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, trimmed, for messages.</summary>
    public string Output => (StandardOutput.Trim() + Environment.NewLine + StandardError.Trim()).Trim();

    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs the PostgreSQL programs (and the few system ones the launcher needs) without a
/// shell, as the current user or, when the current user is root, as the <c>postgres</c> user.</summary>
internal static class Commands
{
    /// <summary>The account the server programs run as when this process is root (they refuse root).</summary>
    public const string ServiceUser = "postgres";

    /// <summary>Runs <paramref name="program"/> and collects its output. Never throws for a
    /// non-zero exit; throws <see cref="PostgresClusterException"/> when the program cannot be
    /// started or does not finish within <paramref name="timeout"/>.</summary>
    public static async Task<CommandResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        bool asServiceUser,
        TimeSpan timeout,
        CancellationToken ct)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // Every path handed over is absolute; "/" is a directory any account can enter, while
            // the caller's working directory may not be (the server programs warn or fail there).
            WorkingDirectory = "/",
        };
        if (asServiceUser)
        {
            psi.FileName = "runuser";
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(ServiceUser);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(program);
        }
        else
        {
            psi.FileName = program;
        }

        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        // The launcher reads the programs' messages, so keep them in English; and settings meant
        // for some other cluster (PGDATA, PGPORT, ...) must not leak into this one.
        foreach (var key in psi.Environment.Keys.ToList())
        {
            if (key.StartsWith("PG", StringComparison.Ordinal) || key is "LC_ALL" or "LANGUAGE")
            {
                psi.Environment.Remove(key);
            }
        }

        psi.Environment["LC_MESSAGES"] = "C";

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new PostgresClusterException($"Could not run {Describe(psi)}: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!process.HasExited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            ct.ThrowIfCancellationRequested();
            throw new PostgresClusterException($"{Describe(psi)} did not finish within {timeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>The command line, for messages.</summary>
    public static string Describe(ProcessStartInfo psi) =>
        string.Join(' ', new[] { psi.FileName }.Concat(psi.ArgumentList).Select(a => a.Contains(' ') ? $"'{a}'" : a));

    /// <summary>Quotes a value for the POSIX shell that <c>pg_ctl</c> starts the server through.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
