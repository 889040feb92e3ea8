namespace Lgsp.Exchange.People;

/// <summary>What a console user may do. The full matrix (which screen and action each role reaches) is
/// docs/console.md's; the console enforces it through <see cref="ConsoleRights"/>.</summary>
public enum ConsoleRole
{
    /// <summary>Everything, including the console's users.</summary>
    Admin,

    /// <summary>Deliveries and replay, the directory, client systems, trust and hub links.</summary>
    Operator,

    /// <summary>Reads everything, downloads packages and evidence, runs ledger checks; changes nothing.</summary>
    Auditor,

    /// <summary>An agency's clerk: reads only the documents its agencies sent or received.</summary>
    Agency,
}

/// <summary>The words a role is written as: in the database, the CLI and the ledger.</summary>
public static class ConsoleRoles
{
    /// <summary>The role's word (<c>admin</c>, <c>operator</c>, <c>auditor</c>, <c>agency</c>).</summary>
    public static string Word(this ConsoleRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The role a word names, or null.</summary>
    public static ConsoleRole? Parse(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "admin" => ConsoleRole.Admin,
        "operator" => ConsoleRole.Operator,
        "auditor" => ConsoleRole.Auditor,
        "agency" => ConsoleRole.Agency,
        _ => null,
    };
}
