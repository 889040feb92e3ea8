using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Store;
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

    public static Task<long> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string actor, int n) =>
        LedgerWriter.AppendAsync(connection, tx, "directory.changed", actor, DateTimeOffset.UtcNow, new { change = "test", n, name = "Sở Tài chính" });
}
