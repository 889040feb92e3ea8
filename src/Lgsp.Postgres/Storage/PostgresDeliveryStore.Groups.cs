using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

// One upload per next hub (ADR 0017): a forward takes along the package's other deliveries via the same
// hub that wait for a push, so N recipients behind the parent cost one sendEdoc, not N.
public sealed partial class PostgresDeliveryStore
{
    // Siblings held by another worker are skipped, not waited for: that worker forwards them itself. A
    // sibling not yet due (retrying later) rides along now; the upload is the same.
    private static async Task<IReadOnlyList<PushWork>> ClaimCompanionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PushWork lead, string via,
        DateTimeOffset now, int max, CancellationToken ct)
    {
        var companions = new List<PushWork>();
        await using (var command = new NpgsqlCommand("""
            UPDATE lgsp.delivery d SET lease_until = $4
            WHERE d.id IN (
                SELECT s.id FROM lgsp.delivery s
                WHERE s.package_id = $1 AND s.via_hub = $2 AND s.id <> $3
                  AND s.mode = 'push' AND s.state IN ('pending', 'retrying')
                  AND (s.lease_until IS NULL OR s.lease_until < $5)
                ORDER BY s.id LIMIT $6
                FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.recipient, d.attempts, d.addressed_to, d.attempt_base, d.lease_until
            """, connection, tx))
        {
            command.Parameters.AddWithValue(lead.PackageId);
            command.Parameters.AddWithValue(via);
            command.Parameters.AddWithValue(lead.DeliveryId);
            command.Parameters.AddWithValue(lead.LeaseUntil!.Value);
            command.Parameters.AddWithValue(now);
            command.Parameters.AddWithValue(max);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                companions.Add(lead with
                {
                    DeliveryId = reader.GetInt64(0),
                    Recipient = reader.GetString(1),
                    Attempts = reader.GetInt32(2),
                    AddressedTo = reader.GetString(3),
                    AttemptBase = reader.GetInt32(4),
                    LeaseUntil = reader.GetFieldValue<DateTimeOffset>(5),
                    Companions = [],
                });
            }
        }

        companions.Sort((a, b) => a.DeliveryId.CompareTo(b.DeliveryId));
        foreach (var companion in companions)
        {
            await LedgerWriter.AppendAsync(tx, AttemptEntries.Started(companion, via, now), ct: ct);
        }

        return companions;
    }
}
