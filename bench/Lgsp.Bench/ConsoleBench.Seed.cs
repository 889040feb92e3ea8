using Npgsql;

namespace Lgsp.Bench;

// The generated store: rows written directly, as the accept path leaves them (the folded search
// columns through lgsp.search_fold, the SQL copy of SearchText.Fold), in batches of Batch packages.
internal static partial class ConsoleBench
{
    // A pseudo-random number in [0, n) from a row's number and a salt: repeatable from run to run.
    private static string Pick(string of, int salt, string n) => $"(((hashint8({of} * 7 + {salt})::bigint & 2147483647) % {n})::int)";

    private static string CodeOf(string index) => $"format('000.%s.%s.H56', lpad((50 + ({index}) / 100)::text, 2, '0'), lpad((({index}) % 100)::text, 2, '0'))";

    private const string Words = """
        ARRAY['V/v', 'Báo cáo', 'Kế hoạch', 'Quyết định', 'Thông báo', 'Công văn', 'Tờ trình', 'Hướng dẫn', 'Giấy mời', 'Chỉ thị']::text[] AS heads,
        ARRAY['triển khai công tác', 'tổng kết', 'phòng chống thiên tai', 'chuyển đổi số', 'cải cách hành chính', 'phòng chống dịch bệnh',
              'quản lý đất đai', 'xây dựng nông thôn mới', 'giải ngân vốn đầu tư công', 'bảo đảm an toàn giao thông', 'bảo vệ môi trường',
              'tuyển dụng công chức', 'thu ngân sách nhà nước', 'phát triển du lịch', 'kiểm tra việc thực hiện']::text[] AS topics,
        ARRAY['năm 2024', 'năm 2025', 'năm 2026', 'quý I', 'quý II', 'quý III', 'quý IV', '6 tháng đầu năm', 'tháng 10',
              'giai đoạn 2021 - 2025']::text[] AS periods,
        ARRAY['trên địa bàn tỉnh', 'tại huyện Thọ Xuân', 'thành phố Thanh Hóa', 'các xã miền núi', 'các sở, ban, ngành', 'thị xã Nghi Sơn']::text[] AS places
        """;

    private static async Task SeedAsync(NpgsqlDataSource data, long docs, int perDocument)
    {
        await ExecuteAsync(data, $"""
            INSERT INTO lgsp.agency (code, name, parent_code, tier, active)
            SELECT {CodeOf("i")}, 'Cơ quan thử nghiệm ' || i, NULL, 'department', true FROM generate_series(0, $1 - 1) i
            """, Agencies);
        // The tables' secondary indexes (not those behind constraints) are dropped for the load and built
        // again after it, as a bulk load does: the same indexes as the migrations', in a fraction of the time.
        var indexes = new List<(string Name, string Definition)>();
        await using (var command = data.CreateCommand("""
            SELECT indexname, indexdef FROM pg_indexes i
            WHERE schemaname = 'lgsp' AND tablename IN ('package', 'delivery', 'ledger')
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

        var end = DateTimeOffset.UtcNow;
        for (var lo = 1L; lo <= docs; lo += Batch)
        {
            var hi = Math.Min(docs, lo + Batch - 1);
            // Three years up to now, oldest first: ids follow time as accepted packages' do.
            await ExecuteAsync(data, $"""
                WITH w AS (SELECT {Words})
                INSERT INTO lgsp.package (id, kind, sender_system, from_agency, document_id, sha256, size, body, received_at, business_type,
                                          code_number, code_notation, subject, legacy, signature, ledger_seq, receipt, subject_folded, code_folded)
                SELECT g, 'document', 'qlvb-' || (g % {Senders}), {CodeOf($"g % {Senders}")},
                       {CodeOf($"g % {Senders}")} || ',' || to_char(t.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY/MM/DD') || ',' || (g / {Senders}) || '/UBND-VP',
                       sha256(g::text::bytea), 2000, convert_to('<bench/>', 'UTF8'), t.at, 0, (g / {Senders})::text, 'UBND-VP', s.subject, false, 'valid', g,
                       '\x00'::bytea, lgsp.search_fold(s.subject), lgsp.search_fold((g / {Senders})::text || '/UBND-VP')
                FROM generate_series($1::bigint, $2::bigint) g CROSS JOIN w
                CROSS JOIN LATERAL (SELECT $3::timestamptz - make_interval(secs => ($4 - g) * 94608000.0 / $4) AS at) t
                CROSS JOIN LATERAL (SELECT w.heads[1 + {Pick("g", 1, "10")}] || ' ' || w.topics[1 + {Pick("g", 2, "15")}] || ' '
                                        || w.periods[1 + {Pick("g", 3, "10")}] || ' ' || w.places[1 + {Pick("g", 4, "6")}] AS subject) s
                """, lo, hi, end, docs);
            // Mostly acknowledged; 10 % delivered, 3 % pending, 2 % failed. Pull mode: no push worker picks them up.
            await ExecuteAsync(data, $"""
                INSERT INTO lgsp.delivery (package_id, recipient, addressed_to, mode, state, attempts, last_error, last_error_code,
                                           delivered_at, acknowledged_at, failed_at, created_at)
                SELECT p.id, r.code, r.code, 'pull', s.state, CASE WHEN s.state = 'failed' THEN 5 ELSE 0 END,
                       CASE WHEN s.state = 'failed' THEN 'Đơn vị nhận không phản hồi' END, CASE WHEN s.state = 'failed' THEN 'http-503' END,
                       CASE WHEN s.state IN ('delivered', 'acknowledged') THEN p.received_at + make_interval(secs => r.x) END,
                       CASE WHEN s.state = 'acknowledged' THEN p.received_at + make_interval(secs => r.x * 20) END,
                       CASE WHEN s.state = 'failed' THEN p.received_at + interval '1 hour' END,
                       p.received_at
                FROM lgsp.package p CROSS JOIN generate_series(0, $3 - 1) k
                CROSS JOIN LATERAL (SELECT {CodeOf($"{Senders} + (p.id + k * 7) % {Agencies - Senders}")} AS code, {Pick("(p.id * 31 + k)", 5, "1000")} AS x) r
                CROSS JOIN LATERAL (SELECT CASE WHEN r.x < 20 THEN 'failed' WHEN r.x < 50 THEN 'pending' WHEN r.x < 150 THEN 'delivered'
                                                ELSE 'acknowledged' END AS state) s
                WHERE p.id BETWEEN $1 AND $2
                """, lo, hi, perDocument);
            await ExecuteAsync(data, """
                INSERT INTO lgsp.ledger (at, kind, actor, package_id, document_id, detail)
                SELECT p.received_at, 'package.received', p.sender_system, p.id, p.document_id,
                       jsonb_build_object('kind', 'document', 'system', p.sender_system, 'from', p.from_agency, 'documentId', p.document_id,
                                          'sha256', encode(p.sha256, 'hex'), 'size', p.size, 'policy', 'strict', 'signature', 'valid')
                FROM lgsp.package p WHERE p.id BETWEEN $1 AND $2 ORDER BY p.id
                """, lo, hi);
            if (hi % 500_000 == 0 || hi == docs)
            {
                AcceptBench.Say($"Seeded packages 1–{hi} with their deliveries and ledger entries");
            }
        }

        await ExecuteAsync(data, "SELECT setval('lgsp.package_id_seq', $1)", docs);
        AcceptBench.Say($"Building {indexes.Count} indexes again");
        foreach (var (_, definition) in indexes)
        {
            await ExecuteAsync(data, "SET maintenance_work_mem = '1GB'; " + definition);
        }

        // What autovacuum does on a store at rest: statistics, and the visibility map the overview's index-only counts need.
        await ExecuteAsync(data, "VACUUM (ANALYZE) lgsp.package");
        await ExecuteAsync(data, "VACUUM (ANALYZE) lgsp.delivery");
        await ExecuteAsync(data, "VACUUM (ANALYZE) lgsp.ledger");
    }
}
