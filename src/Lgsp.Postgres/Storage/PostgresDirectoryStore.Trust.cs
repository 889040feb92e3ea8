using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

// The trust: root and intermediate certificates and CRLs, loaded and added.
public sealed partial class PostgresDirectoryStore
{
    /// <inheritdoc />
    public async Task<TrustRecords> LoadTrustAsync(CancellationToken ct = default)
    {
        List<byte[]> roots = [], intermediates = [], crls = [];
        await using (var command = dataSource.CreateCommand("SELECT kind, certificate FROM lgsp.trust_certificate ORDER BY added_at"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                (reader.GetString(0) == "root" ? roots : intermediates).Add(reader.GetFieldValue<byte[]>(1));
            }
        }

        await using (var command = dataSource.CreateCommand("SELECT data FROM lgsp.crl ORDER BY this_update"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                crls.Add(reader.GetFieldValue<byte[]>(0));
            }
        }

        return new TrustRecords(roots, intermediates, crls);
    }

    /// <inheritdoc />
    public Task AddTrustCertificateAsync(X509Certificate2 certificate, bool root, string actor, CancellationToken ct = default)
    {
        var sha = SHA256.HashData(certificate.RawData);
        return ChangeAsync(at => TrustEntries.CertificateAdded(certificate, root, actor, at),
            async (connection, tx, at) =>
            {
                await using var command = new NpgsqlCommand("""
                    INSERT INTO lgsp.trust_certificate (sha256, kind, subject, certificate, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                    """, connection, tx);
                command.Parameters.AddWithValue(sha);
                command.Parameters.AddWithValue(root ? "root" : "intermediate");
                command.Parameters.AddWithValue(certificate.Subject);
                command.Parameters.AddWithValue(certificate.RawData);
                command.Parameters.AddWithValue(at);
                await command.ExecuteNonQueryAsync(ct);
            }, ct);
    }

    /// <inheritdoc />
    public Task AddCrlAsync(byte[] crl, string issuer, DateTimeOffset thisUpdate, string actor, CancellationToken ct = default)
    {
        var sha = SHA256.HashData(crl);
        return ChangeAsync(at => TrustEntries.CrlAdded(crl, issuer, thisUpdate, actor, at), async (connection, tx, at) =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO lgsp.crl (sha256, issuer, this_update, data, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                """, connection, tx);
            command.Parameters.AddWithValue(sha);
            command.Parameters.AddWithValue(issuer);
            command.Parameters.AddWithValue(thisUpdate);
            command.Parameters.AddWithValue(crl);
            command.Parameters.AddWithValue(at);
            await command.ExecuteNonQueryAsync(ct);
        }, ct);
    }
}
