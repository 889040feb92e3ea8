using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

// What recipients do with their deliveries: list the pending ones, find one, read a package's receipt
// (its body: PostgresPackageStore.Body.cs), mark a delivery fetched, confirm it done or refused.
public sealed partial class PostgresPackageStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingItem>> PendingAsync(IReadOnlyCollection<string> recipients, PackageKind kind, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(PendingQuery("d.recipient = ANY($1) AND d.via_hub IS NULL"));
        command.Parameters.AddWithValue(recipients.ToArray());
        command.Parameters.AddWithValue(Words.Of(kind));
        command.Parameters.AddWithValue(max);
        return await ReadPendingAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingItem>> PendingViaAsync(string hub, string? recipient, PackageKind kind, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(PendingQuery("d.via_hub = $1 AND ($4::text IS NULL OR d.recipient = $4)"));
        command.Parameters.AddWithValue(hub);
        command.Parameters.AddWithValue(Words.Of(kind));
        command.Parameters.AddWithValue(max);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)recipient ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await ReadPendingAsync(command, ct);
    }

    private static string PendingQuery(string whose) => $"""
        SELECT d.id, p.document_id, p.from_agency, d.recipient, p.code_number, p.code_notation, p.subject, p.status_code, p.received_at, p.size,
            d.state, coalesce(d.delivered_at, d.created_at)
        FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
        WHERE {whose} AND d.state IN ('pending', 'delivered') AND d.mode = 'pull' AND p.kind = $2
        ORDER BY d.id LIMIT $3
        """;

    private static async Task<IReadOnlyList<PendingItem>> ReadPendingAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var items = new List<PendingItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new PendingItem
            {
                Id = reader.GetInt64(0),
                DocumentId = reader.GetString(1),
                From = reader.GetString(2),
                To = reader.GetString(3),
                CodeNumber = NullableString(reader, 4),
                CodeNotation = NullableString(reader, 5),
                Subject = NullableString(reader, 6),
                StatusCode = NullableString(reader, 7),
                ReceivedAt = reader.GetFieldValue<DateTimeOffset>(8),
                Size = reader.GetInt32(9),
                State = Words.State(reader.GetString(10)),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(11),
            });
        }

        return items;
    }

    /// <inheritdoc />
    public async Task<DeliveryRecord?> FindDeliveryAsync(long deliveryId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, d.package_id, p.kind, p.document_id, d.recipient, d.state, d.mode, d.via_hub, p.hops, p.legacy
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE d.id = $1
            """);
        command.Parameters.AddWithValue(deliveryId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new DeliveryRecord(reader.GetInt64(0), reader.GetInt64(1), Words.Kind(reader.GetString(2)), reader.GetString(3), reader.GetString(4), Words.State(reader.GetString(5)))
            {
                Mode = Words.Mode(reader.GetString(6)),
                Via = NullableString(reader, 7),
                Hops = reader.GetFieldValue<string[]>(8),
                Legacy = reader.GetBoolean(9),
            }
            : null;
    }

    /// <inheritdoc />
    public Task<byte[]> ReadReceiptAsync(long packageId, CancellationToken ct = default) => ReadPackageBytesAsync("receipt", packageId, ct);

    private async Task<byte[]> ReadPackageBytesAsync(string column, long packageId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {column} FROM lgsp.package WHERE id = $1");
        command.Parameters.AddWithValue(packageId);
        return (byte[])(await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"Package {packageId} does not exist."));
    }

    /// <inheritdoc />
    public Task MarkFetchedAsync(long deliveryId, string actor, DateTimeOffset at, CancellationToken ct = default) =>
        TransitionAsync(deliveryId, "state = 'delivered', delivered_at = $2", "d.state = 'pending'", at, null, d => DeliveryEntries.Fetched(d, actor, at), ct);

    /// <inheritdoc />
    public Task ConfirmAsync(long deliveryId, bool done, string? reason, string actor, DateTimeOffset at, CancellationToken ct = default) => done
        ? TransitionAsync(deliveryId, "state = 'acknowledged', acknowledged_at = $2, delivered_at = coalesce(delivered_at, $2)",
            "d.state IN ('pending', 'delivered', 'retrying')", at, null, d => DeliveryEntries.Acknowledged(d, actor, at), ct)
        : TransitionAsync(deliveryId, $"state = 'failed', last_error = $3, last_error_code = '{DeliveryErrorCode.ConfirmFail}', failed_at = $2, lease_until = NULL",
            "d.state IN ('pending', 'delivered', 'retrying')", at, reason, d => DeliveryEntries.RefusedByRecipient(d, actor, at, reason), ct);

    // Changes the delivery when its state is one `when` allows, and records the entry made for it; a
    // delivery in any other state is left as it is, with no entry. $2 is the time, $3 the reason.
    private Task TransitionAsync(long deliveryId, string set, string when, DateTimeOffset at, string? reason, Func<DeliveryConcerned, NewLedgerEntry> entry,
        CancellationToken ct) =>
        DeliveryTransition.ApplyAsync(dataSource, deliveryId, set, when, [at, reason], entry, ct);
}
