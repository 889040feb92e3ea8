using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Ledger;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IHubFigures"/> on PostgreSQL. Every query reads an index range: the day counts
/// the last month of <c>package_documents_newest</c> (migration 0023 dropped the narrower
/// <c>package_received_document</c>), <c>delivery_delivered_at</c>,
/// <c>delivery_acknowledged_at</c> and <c>delivery_failed</c> (migration 0014); the waiting counts
/// <c>delivery_state</c> for the states that wait; the hub links <c>delivery_via_hub</c>.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class PostgresHubFigures(NpgsqlDataSource dataSource) : IHubFigures
{
    private readonly PostgresLedger _ledger = new(dataSource);

    /// <summary>How long the days before the window's last are kept once read: they are closed (a
    /// late acknowledgement counts on its own day), so only a replay of an old failure moves them,
    /// and the overview need not count a month of index entries on every request.</summary>
    public static readonly TimeSpan ClosedDaysFor = TimeSpan.FromMinutes(5);

    private ClosedDays? _closed;

    /// <inheritdoc />
    /// <remarks>The window's last day (today, on the overview) is read on every call; the days before it
    /// come from one read kept for <see cref="ClosedDaysFor"/>.</remarks>
    public async Task<IReadOnlyList<DayFigures>> DailyAsync(DateOnly firstDay, int days, TimeZoneInfo zone, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (days <= 0)
        {
            return [];
        }

        var closed = _closed;
        if (closed is null || closed.First != firstDay || closed.Days.Count != days - 1 || closed.Zone != zone.Id
            || Environment.TickCount64 - closed.ReadAt > (long)ClosedDaysFor.TotalMilliseconds)
        {
            closed = new ClosedDays(firstDay, zone.Id, Environment.TickCount64, days > 1 ? await ReadDaysAsync(firstDay, days - 1, zone, ct) : []);
            _closed = closed;
        }

        return [.. closed.Days, .. await ReadDaysAsync(firstDay.AddDays(days - 1), 1, zone, ct)];
    }

    private sealed record ClosedDays(DateOnly First, string Zone, long ReadAt, IReadOnlyList<DayFigures> Days);

    private async Task<IReadOnlyList<DayFigures>> ReadDaysAsync(DateOnly firstDay, int days, TimeZoneInfo zone, CancellationToken ct)
    {
        var counts = new Dictionary<DateOnly, long[]>();
        for (var i = 0; i < days; i++)
        {
            counts[firstDay.AddDays(i)] = new long[4];
        }

        // PostgreSQL takes instants in UTC.
        var from = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(firstDay.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var until = from.AddDays(days);

        // One range per figure, each on its own index; the day is taken in the province's time zone.
        await using var command = dataSource.CreateCommand("""
            SELECT 0, (received_at AT TIME ZONE $3)::date, count(*) FROM lgsp.package
                WHERE kind = 'document' AND received_at >= $1 AND received_at < $2 GROUP BY 2
            UNION ALL
            SELECT 1, (delivered_at AT TIME ZONE $3)::date, count(*) FROM lgsp.delivery
                WHERE delivered_at IS NOT NULL AND delivered_at >= $1 AND delivered_at < $2 GROUP BY 2
            UNION ALL
            SELECT 2, (acknowledged_at AT TIME ZONE $3)::date, count(*) FROM lgsp.delivery
                WHERE acknowledged_at IS NOT NULL AND acknowledged_at >= $1 AND acknowledged_at < $2 GROUP BY 2
            UNION ALL
            SELECT 3, (failed_at AT TIME ZONE $3)::date, count(*) FROM lgsp.delivery
                WHERE state = 'failed' AND failed_at >= $1 AND failed_at < $2 GROUP BY 2
            """);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(until);
        command.Parameters.AddWithValue(zone.Id);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (counts.TryGetValue(DateOnly.FromDateTime(reader.GetDateTime(1)), out var day))
                {
                    day[reader.GetInt32(0)] = reader.GetInt64(2);
                }
            }
        }

        return [.. counts.OrderBy(c => c.Key).Select(c => new DayFigures(c.Key, c.Value[0], c.Value[1], c.Value[2], c.Value[3]))];
    }

    /// <inheritdoc />
    public async Task<WaitingFigures> WaitingAsync(CancellationToken ct = default)
    {
        // Only the waiting states: delivered and acknowledged rows (nearly all of them) are not counted.
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'retrying'), count(*) FILTER (WHERE state = 'failed')
            FROM lgsp.delivery WHERE state IN ('pending', 'retrying', 'failed')
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new WaitingFigures(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FailingPeer>> FailingPeersAsync(DateTimeOffset since, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(via_hub, recipient), via_hub IS NOT NULL, count(*), max(failed_at)
            FROM lgsp.delivery WHERE state = 'failed' AND failed_at >= $1
            GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT $2
            """);
        command.Parameters.AddWithValue(since);
        command.Parameters.AddWithValue(max);
        var peers = new List<FailingPeer>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            peers.Add(new FailingPeer(reader.GetString(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return peers;
    }

    /// <inheritdoc />
    public async Task<SealFigures> SealAsync(CancellationToken ct = default)
    {
        var status = await _ledger.StatusAsync(ct);
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT max(sealed_at) FROM lgsp.checkpoint WHERE last_seq = (SELECT max(last_seq) FROM lgsp.checkpoint)),
                   c.witness, c.last_seq, c.received_at
            FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT witness, last_seq, received_at FROM lgsp.countersignature ORDER BY last_seq DESC LIMIT 1) c ON true
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SealFigures(status.Unsealed, status.OldestUnsealedAt, reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0),
            reader.IsDBNull(1) ? null : new WitnessFigure(reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ExpiringCertificate>> ExpiringSignersAsync(DateTimeOffset until, CancellationToken ct = default)
    {
        var signers = new List<ExpiringCertificate>();
        await using var command = dataSource.CreateCommand("SELECT agency_code, subject, not_after FROM lgsp.agency_certificate WHERE not_after < $1 ORDER BY not_after");
        command.Parameters.AddWithValue(until);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            signers.Add(new ExpiringCertificate(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return signers;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HubLinkFigures>> HubLinksAsync(CancellationToken ct = default)
    {
        // The latest delivery through a link is found newest id first (the primary key), not by
        // scanning every delivered row through it.
        await using var command = dataSource.CreateCommand("""
            SELECT h.id, h.role, h.base_url, h.system_id, h.inbound_system, h.active,
                (SELECT count(*) FROM lgsp.delivery d WHERE d.via_hub = h.id AND d.state IN ('pending', 'retrying')),
                (SELECT count(*) FROM lgsp.delivery d WHERE d.via_hub = h.id AND d.state = 'failed'),
                (SELECT d.delivered_at FROM lgsp.delivery d WHERE d.via_hub = h.id AND d.delivered_at IS NOT NULL ORDER BY d.id DESC LIMIT 1),
                w.last_seq, w.at,
                CASE WHEN h.role = 'parent' THEN h.last_poll_at ELSE (SELECT s.last_call_at FROM lgsp.client_system s WHERE s.id = h.inbound_system) END,
                h.policy
            FROM lgsp.hub h
            LEFT JOIN LATERAL (
                SELECT c.last_seq, c.received_at AS at FROM lgsp.countersignature c WHERE h.role = 'parent' AND c.witness = h.id
                UNION ALL
                SELECT wc.last_seq, wc.witnessed_at FROM lgsp.witnessed_checkpoint wc WHERE h.role = 'child' AND wc.hub = h.id
                ORDER BY 1 DESC LIMIT 1) w ON true
            ORDER BY h.role = 'child', h.id
            """);
        var links = new List<HubLinkFigures>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            var link = new HubLink(id, reader.GetString(1) == "parent" ? HubRole.Parent : HubRole.Child,
                reader.IsDBNull(2) ? null : new Uri(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetString(3), null,
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5))
            {
                Policy = reader.GetString(12) == "inherit" ? LinkPolicy.Inherit : LinkPolicy.Strict,
            };
            links.Add(new HubLinkFigures(link, reader.GetInt64(6), reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : new WitnessFigure(id, reader.GetInt64(9), reader.GetFieldValue<DateTimeOffset>(10)),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return links;
    }
}
