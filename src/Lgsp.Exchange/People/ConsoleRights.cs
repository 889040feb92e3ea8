namespace Lgsp.Exchange.People;

/// <summary>One thing the console lets a person do.</summary>
public enum ConsoleRight
{
    /// <summary>See every document, delivery, agency, system, certificate, hub and ledger figure.</summary>
    ReadAll,

    /// <summary>See the documents the user's own agencies sent or received, with their deliveries and statuses.</summary>
    ReadOwnDocuments,

    /// <summary>Download a package's bytes and a document's evidence bundle.</summary>
    Download,

    /// <summary>Replay failed deliveries.</summary>
    Replay,

    /// <summary>Add, edit and retire agencies; import the directory; register signer certificates.</summary>
    EditDirectory,

    /// <summary>Add client systems and rotate their secrets.</summary>
    EditSystems,

    /// <summary>Upload trust roots, intermediates and CRLs.</summary>
    EditTrust,

    /// <summary>Add and change links to other hubs.</summary>
    EditHubs,

    /// <summary>Run ledger checks (verify-ledger, witness-check) and read their results.</summary>
    RunLedgerChecks,

    /// <summary>Add, disable and reset console users.</summary>
    ManageUsers,
}

/// <summary>The console's role matrix: which role has which right. docs/console.md states the same
/// table, and a test holds the two together and tries every cell against a running console.</summary>
public static class ConsoleRights
{
    private static readonly Dictionary<ConsoleRole, HashSet<ConsoleRight>> Matrix = new()
    {
        [ConsoleRole.Admin] = [.. Enum.GetValues<ConsoleRight>()],
        [ConsoleRole.Operator] =
        [
            ConsoleRight.ReadAll, ConsoleRight.ReadOwnDocuments, ConsoleRight.Download, ConsoleRight.Replay, ConsoleRight.EditDirectory,
            ConsoleRight.EditSystems, ConsoleRight.EditTrust, ConsoleRight.EditHubs, ConsoleRight.RunLedgerChecks,
        ],
        [ConsoleRole.Auditor] = [ConsoleRight.ReadAll, ConsoleRight.ReadOwnDocuments, ConsoleRight.Download, ConsoleRight.RunLedgerChecks],
        [ConsoleRole.Agency] = [ConsoleRight.ReadOwnDocuments],
    };

    /// <summary>True when <paramref name="role"/> has <paramref name="right"/>.</summary>
    public static bool Has(this ConsoleRole role, ConsoleRight right) => Matrix[role].Contains(right);
}
