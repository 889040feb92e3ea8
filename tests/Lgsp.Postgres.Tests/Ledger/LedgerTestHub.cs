using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Storage;
using Npgsql;

namespace Lgsp.Postgres.Tests.Ledger;

/// <summary>A hub identity from a throwaway PKI, and ledger writes as the stores make them.</summary>
public sealed class LedgerTestHub : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("Ledger store");

    public LedgerTestHub()
    {
        Identity = new HubIdentity("hub-test", _pki.IssueOrganization("000.00.00.H56", "LGSP test hub"), [_pki.Intermediate]);
        Trust = new CertificateTrust(new TrustOptions { Roots = [_pki.Root] });
    }

    public HubIdentity Identity { get; }

    public CertificateTrust Trust { get; }

    /// <summary>The hub's checkpoints as verify-ledger checks them: under the root, pinned to the hub's certificate.</summary>
    public SignerCheck Signer => new SignerCheck(Trust).PinnedTo([Identity.Certificate]);

    public void Dispose() => _pki.Dispose();

    /// <summary>Appends <paramref name="count"/> entries, each in its own committed transaction.</summary>
    public static async Task AppendAsync(NpgsqlDataSource data, int count, string actor = "test")
    {
        for (var i = 0; i < count; i++)
        {
            await using var connection = await data.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await AppendAsync(connection, tx, actor, i);
            await tx.CommitAsync();
        }
    }

    /// <summary>Appends one entry (a directory change naming an agency in Vietnamese, so that the chain
    /// sees non-ASCII detail) in <paramref name="tx"/>.</summary>
    public static Task<long> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string actor, int n) =>
        LedgerWriter.AppendAsync(tx, DirectoryEntries.AgencySaved(
            new Agency($"000.00.{n % 100:00}.H56", "Sở Tài chính", null, AgencyTier.Department, true, null, null, DateTimeOffset.UtcNow), actor, DateTimeOffset.UtcNow));
}
