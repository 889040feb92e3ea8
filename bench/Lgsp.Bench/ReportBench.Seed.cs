using System.Globalization;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Npgsql;

namespace Lgsp.Bench;

// The generated store: documents with their deliveries and report facts written directly, as the
// accept path leaves them (package, delivery, report_package, report_recipient, report_attachment),
// in batches; then the daily rollups counted from those facts by the production code (the store's
// ReadFactsAsync, RollupBuilder, WriteRollupsAsync), a month at a time.
internal static partial class ReportBench
{
    private const int Batch = 100_000;

    // A pseudo-random number in [0, n) from a row's number and a salt: repeatable from run to run.
    private static string Pick(string of, int salt, string n) => $"(((hashint8(({of}) * 7 + {salt})::bigint & 2147483647) % ({n}))::int)";

    private static string CodeOf(string index) => $"format('000.%s.%s.H56', lpad((({index}) / 100)::text, 2, '0'), lpad((({index}) % 100)::text, 2, '0'))";

    private static string TierOf(string index) =>
        $"(CASE WHEN ({index}) = 0 THEN 'province' WHEN ({index}) <= 20 THEN 'department' WHEN ({index}) <= 40 THEN 'district' ELSE 'commune' END)";

    private static async Task SeedAsync(NpgsqlDataSource data, Shape shape)
    {
        await ExecuteAsync(data, $"""
            INSERT INTO lgsp.agency (code, name, parent_code, tier, active)
            SELECT {CodeOf("i")}, 'Cơ quan thử nghiệm ' || i, NULL, {TierOf("i")}, true FROM generate_series(0, $1 - 1) i
            """, shape.Agencies);

        // Secondary indexes (not those behind constraints) are dropped for the load and built again after it.
        var indexes = new List<(string Name, string Definition)>();
        await using (var command = data.CreateCommand("""
            SELECT indexname, indexdef FROM pg_indexes i
            WHERE schemaname = 'lgsp' AND tablename IN ('package', 'delivery', 'report_package', 'report_recipient', 'report_attachment')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = 'lgsp'::regnamespace)
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(data, $"DROP INDEX lgsp.\"{name}\"");
        }

        var a = shape.Agencies.ToString(CultureInfo.InvariantCulture);
        var step = ((shape.Agencies - 1) / 3).ToString(CultureInfo.InvariantCulture);
        var seconds = (shape.Last.DayNumber - shape.First.DayNumber + 1) * 86_400.0;
        var start = new DateTimeOffset(shape.First.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)).ToUniversalTime();
        for (var lo = 1L; lo <= shape.Documents; lo += Batch)
        {
            var hi = Math.Min(shape.Documents, lo + Batch - 1);
            // Evenly over the period, ids following time; sender and its three recipients spread over every agency.
            await ExecuteAsync(data, $"""
                INSERT INTO lgsp.package (id, kind, sender_system, from_agency, document_id, sha256, size, body, received_at, business_type,
                                          code_number, code_notation, subject, legacy, signature, ledger_seq, receipt)
                SELECT g, 'document', 'qlvb', {CodeOf(Pick("g", 1, a))}, 'bench,' || g, sha256(g::text::bytea), 8, convert_to('<bench/>', 'UTF8'),
                       $3::timestamptz + make_interval(secs => (g - 1) * {seconds.ToString(CultureInfo.InvariantCulture)} / $4), 0,
                       g::text, 'UBND-VP', 'Báo cáo', false, 'valid', g, '\x00'::bytea
                FROM generate_series($1::bigint, $2::bigint) g
                """, lo, hi, start, shape.Documents);
            await ExecuteAsync(data, $"""
                INSERT INTO lgsp.report_package (package_id, kind, business_type, document_id, from_agency, from_tier, from_scope, received_at, received_day,
                                                 priority, paper, promulgation_date, envelope_signer)
                SELECT p.id, 'document', 0, p.document_id, p.from_agency, {TierOf(Pick("p.id", 1, a))}, 'internal', p.received_at, l.day,
                       CASE WHEN {Pick("p.id", 6, "10")} = 0 THEN 2 ELSE 0 END, {Pick("p.id", 7, "20")} = 0, l.day - {Pick("p.id", 8, "3")},
                       (ARRAY['organization', 'organization', 'organization', 'organization', 'organization', 'organization',
                              'personal', 'personal', 'unknown', 'unsigned'])[1 + {Pick("p.id", 9, "10")}]
                FROM lgsp.package p CROSS JOIN LATERAL (SELECT (p.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day) l
                WHERE p.id BETWEEN $1 AND $2
                """, lo, hi);
            // Three recipients each: 2 % failed, 3 % pending, 10 % fetched only, the rest fetched and confirmed, some late.
            await ExecuteAsync(data, $"""
                INSERT INTO lgsp.delivery (package_id, recipient, addressed_to, mode, state, attempts, last_error, last_error_code,
                                           delivered_at, acknowledged_at, failed_at, created_at)
                SELECT p.id, r.code, r.code, 'pull', s.state, CASE WHEN s.state = 'failed' THEN 5 ELSE 0 END,
                       CASE WHEN s.state = 'failed' THEN 'Đơn vị nhận không phản hồi' END,
                       CASE WHEN s.state = 'failed' THEN (ARRAY['http-503', 'timeout', 'confirm-fail'])[1 + r.x % 3] END,
                       CASE WHEN s.state IN ('delivered', 'acknowledged') THEN p.received_at + make_interval(secs => r.x * 90) END,
                       CASE WHEN s.state = 'acknowledged' THEN p.received_at + make_interval(secs => r.x * 120) END,
                       CASE WHEN s.state = 'failed' THEN p.received_at + interval '1 hour' END,
                       p.received_at
                FROM lgsp.package p CROSS JOIN generate_series(0, 2) k
                CROSS JOIN LATERAL (SELECT ({Pick("p.id", 1, a)} + 1 + k * {step} + {Pick("p.id", 2, step)}) % {a} AS i,
                                           {Pick("p.id * 31 + k", 5, "1000")} AS x) r0
                CROSS JOIN LATERAL (SELECT {CodeOf("r0.i")} AS code, r0.x) r
                CROSS JOIN LATERAL (SELECT CASE WHEN r.x < 20 THEN 'failed' WHEN r.x < 50 THEN 'pending' WHEN r.x < 150 THEN 'delivered'
                                                ELSE 'acknowledged' END AS state) s
                WHERE p.id BETWEEN $1 AND $2
                """, lo, hi);
            await ExecuteAsync(data, $"""
                INSERT INTO lgsp.report_recipient (package_id, recipient, tier, scope)
                SELECT d.package_id, d.recipient, CASE split_part(d.recipient, '.', 2) WHEN '00' THEN
                           (CASE WHEN split_part(d.recipient, '.', 3) = '00' THEN 'province' WHEN split_part(d.recipient, '.', 3)::int <= 20 THEN 'department'
                                 WHEN split_part(d.recipient, '.', 3)::int <= 40 THEN 'district' ELSE 'commune' END) ELSE 'commune' END,
                       CASE WHEN {Pick("d.id", 3, "50")} = 0 THEN 'external' ELSE 'internal' END
                FROM lgsp.delivery d WHERE d.package_id BETWEEN $1 AND $2
                """, lo, hi);
            // 60 % of documents carry one PDF: mostly signed (by an organisation or a person), some unsigned, broken or unreadable.
            await ExecuteAsync(data, $"""
                INSERT INTO lgsp.report_attachment (package_id, ordinal, name, verdict, organization_signers, personal_signers)
                SELECT g, 1, 'van-ban.pdf', v.verdict, CASE WHEN v.verdict = 'signed' AND v.y % 2 = 0 THEN 1 ELSE 0 END,
                       CASE WHEN v.verdict = 'signed' AND v.y % 2 = 1 THEN 1 ELSE 0 END
                FROM generate_series($1::bigint, $2::bigint) g
                CROSS JOIN LATERAL (SELECT {Pick("g", 11, "20")} AS y) y
                CROSS JOIN LATERAL (SELECT y.y, CASE WHEN y.y < 14 THEN 'signed' WHEN y.y < 17 THEN 'unsigned' WHEN y.y < 19 THEN 'broken'
                                                     ELSE 'unreadable' END AS verdict) v
                WHERE {Pick("g", 10, "10")} < 6
                """, lo, hi);
            if (hi % 500_000 == 0 || hi == shape.Documents)
            {
                AcceptBench.Say($"Seeded documents 1–{hi} with their deliveries and report facts");
            }
        }

        await ExecuteAsync(data, "SELECT setval('lgsp.package_id_seq', $1)", shape.Documents);
        AcceptBench.Say($"Building {indexes.Count} indexes again");
        foreach (var (_, definition) in indexes)
        {
            await ExecuteAsync(data, "SET maintenance_work_mem = '1GB'; " + definition);
        }

        foreach (var table in new[] { "package", "delivery", "report_package", "report_recipient", "report_attachment" })
        {
            await ExecuteAsync(data, $"VACUUM (ANALYZE) lgsp.{table}");
        }

        await CountRollupsAsync(data, shape);
    }

    // The production counting, a month at a time (the refresh job does all days at once on a rebuild).
    private static async Task CountRollupsAsync(NpgsqlDataSource data, Shape shape)
    {
        var store = new PostgresReportStore(data);
        var options = new ReportOptions();
        var calendar = await new PostgresCalendarStore(data, TimeProvider.System).LoadCalendarAsync(options.Hours);
        var asOf = Timestamps.Truncate(DateTimeOffset.UtcNow);
        for (var month = new DateOnly(shape.First.Year, shape.First.Month, 1); month <= shape.Last; month = month.AddMonths(1))
        {
            var days = Enumerable.Range(0, DateTime.DaysInMonth(month.Year, month.Month)).Select(month.AddDays).ToArray();
            var rows = RollupBuilder.Build(await store.ReadFactsAsync(days), calendar, options.FetchWithinWorkingDays, asOf);
            var state = await store.ReadStateAsync();
            if (!await store.WriteRollupsAsync(days, rows, 0, asOf, rebuild: false, ReportService.BuiltWith(options), state))
            {
                throw new InvalidOperationException("Another refresh wrote the rollups while seeding.");
            }

            AcceptBench.Say($"Counted the rollups of {month:yyyy-MM}: {rows.Count} rows");
        }

        await ExecuteAsync(data, "VACUUM (ANALYZE) lgsp.report_rollup");
    }
}
