using Lgsp.Exchange.People;

namespace Lgsp.Web.Tests.Auth;

/// <summary>docs/console.md's role matrix against the one the console enforces
/// (<see cref="ConsoleRights"/>): what the province reads is what the code does.</summary>
public sealed class RoleMatrixDocumentTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "console.md"));

    [Fact]
    public void The_documented_matrix_names_every_right_once_and_gives_each_role_what_the_console_gives_it()
    {
        var header = Array.FindIndex(Lines, l => l.StartsWith("| right | admin | operator | auditor | agency |", StringComparison.Ordinal));
        Assert.True(header >= 0, "docs/console.md has the role matrix");
        var rows = Lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();

        Assert.Equal(Enum.GetNames<ConsoleRight>().Order(), rows.Select(r => r[0].Trim('`')).Order());
        ConsoleRole[] roles = [ConsoleRole.Admin, ConsoleRole.Operator, ConsoleRole.Auditor, ConsoleRole.Agency];
        foreach (var row in rows)
        {
            var right = Enum.Parse<ConsoleRight>(row[0].Trim('`'));
            for (var i = 0; i < roles.Length; i++)
            {
                Assert.True(row[i + 1] is "yes" or "no", $"{right}/{roles[i]}: '{row[i + 1]}' is neither yes nor no");
                Assert.True((row[i + 1] == "yes") == roles[i].Has(right), $"{right}/{roles[i]}: documented {row[i + 1]}, the console says {roles[i].Has(right)}");
            }
        }
    }
}
