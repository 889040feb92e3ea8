using Lgsp.Edxml.Model;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.TestSupport.Postgres;
using Lgsp.TestSupport.Reports;
using static Lgsp.TestSupport.Reports.ReportProvince;

namespace Lgsp.Postgres.Tests.Reports;

/// <summary>
/// Every figure of the report, over a province's exchanges across a weekend, Tết 2025 and its
/// make-up Saturday, internal and external, with statuses and answers at chosen times. The expected
/// numbers are worked out by hand from the dataset below (each comment says from which cases), not
/// from the production counting.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReportFiguresTests(PostgresFixture fixture)
{
    internal static readonly DateTimeOffset AsOf = Local(2025, 3, 31, 12);

    /// <summary>The dataset, cases C1–C7 (local times, 2025).</summary>
    internal static async Task ExchangeAsync(ReportProvince p)
    {
        // C1: Finance → Construction, Commune. Promulgated Friday 14/3, sent Friday 19:00 (on time: until Monday noon).
        // Envelope sealed by Finance; one PDF sealed. Construction fetches and confirms on Monday morning; Commune answers 01 Monday.
        var (c1, d1) = await p.SendAsync(Finance, [Construction, Commune], new DateOnly(2025, 3, 14), Local(2025, 3, 14, 19), signEnvelope: true,
            pdfs: [TestPdfKind.Organization]);
        await p.FetchAsync(c1, Construction, Local(2025, 3, 17, 9));
        await p.ConfirmAsync(c1, Construction, true, Local(2025, 3, 17, 9, 30));
        await p.StatusAsync(Commune, Finance, d1, StatusCode.Arrived, Local(2025, 3, 17, 10));

        // Construction registers C1 (03) on Monday 14:00 and finishes it (06) on Wednesday 19/3 10:00.
        await p.StatusAsync(Construction, Finance, d1, StatusCode.Accepted, Local(2025, 3, 17, 14));
        await p.StatusAsync(Construction, Finance, d1, StatusCode.Finished, Local(2025, 3, 19, 10));

        // C2: Finance → Construction, promulgated Friday 14/3, sent Monday 13:00 (late), priority 2 (urgent), also on paper;
        // PDFs: one signed by a person, one unsigned. Construction never fetches it.
        await p.SendAsync(Finance, [Construction], new DateOnly(2025, 3, 14), Local(2025, 3, 17, 13), priority: 2, paper: true,
            pdfs: [TestPdfKind.Personal, TestPdfKind.Unsigned]);

        // C3: Construction → Finance, promulgated Friday 24/1 before Tết, sent Monday 3/2 09:00: the first working morning after Tết.
        // Envelope signed by a person; its PDF was altered after signing. Finance fetches the same afternoon.
        var (c3, _) = await p.SendAsync(Construction, [Finance], new DateOnly(2025, 1, 24), Local(2025, 2, 3, 9), signEnvelope: true,
            pdfs: [TestPdfKind.Tampered]);
        await p.FetchAsync(c3, Finance, Local(2025, 2, 3, 16));

        // C4: Construction → Finance, the district (child hub), the ministry (beyond the parent); promulgated Friday 14/2, sent on
        // the make-up Saturday 15/2 10:00 (on time: Saturday is the next working day). Priority 1. Its PDF is unreadable.
        // Finance refuses it (02) on Saturday but fetches only on Monday; nobody fetches for the district or the ministry.
        var (c4, d4) = await p.SendAsync(Construction, [Finance, District, Ministry], new DateOnly(2025, 2, 14), Local(2025, 2, 15, 10), priority: 1,
            pdfs: [TestPdfKind.Unreadable]);
        await p.StatusAsync(Finance, Construction, d4, StatusCode.Rejected, Local(2025, 2, 15, 11));
        await p.FetchAsync(c4, Finance, Local(2025, 2, 17, 9));

        // C5: the ministry → Finance through the parent: promulgated Monday 10/3, sent Tuesday 10:00. Finance fetches and confirms at once.
        var (c5, d5) = await p.SendAsync(Ministry, [Finance], new DateOnly(2025, 3, 10), Local(2025, 3, 11, 10));
        await p.FetchAsync(c5, Finance, Local(2025, 3, 11, 10, 20));
        await p.ConfirmAsync(c5, Finance, true, Local(2025, 3, 11, 10, 30));

        // Finance registers C5 (03) at 11:00 and finishes it (06) on Friday 14/3 10:00; both statuses go to the ministry.
        await p.StatusAsync(Finance, Ministry, d5, StatusCode.Accepted, Local(2025, 3, 11, 11));
        await p.StatusAsync(Finance, Ministry, d5, StatusCode.Finished, Local(2025, 3, 14, 10));

        // C6: Finance → Commune, Tuesday 18/3 08:00; PDFs sealed and signed by a person. Commune fetches, then refuses it on confirm
        // (the delivery fails: confirm-fail); Finance asks to take it back (13), Commune agrees (15).
        var (c6, d6) = await p.SendAsync(Finance, [Commune], new DateOnly(2025, 3, 18), Local(2025, 3, 18, 8),
            pdfs: [TestPdfKind.Organization, TestPdfKind.Personal]);
        await p.FetchAsync(c6, Commune, Local(2025, 3, 18, 9));
        await p.ConfirmAsync(c6, Commune, false, Local(2025, 3, 18, 9, 5));
        await p.StatusAsync(Finance, Commune, d6, StatusCode.TakeBackRequested, Local(2025, 3, 18, 10));
        await p.StatusAsync(Commune, Finance, d6, StatusCode.ChangeAccepted, Local(2025, 3, 18, 11));

        // C7: Commune → the province, Wednesday 19/3 16:59 (inside office hours), priority 3; fetched Thursday 08:00.
        var (c7, d7) = await p.SendAsync(Commune, [Province], new DateOnly(2025, 3, 19), Local(2025, 3, 19, 16, 59), priority: 3);
        await p.FetchAsync(c7, Province, Local(2025, 3, 20, 8));

        // The province registers C7 (03) Thursday 08:30.
        await p.StatusAsync(Province, Commune, d7, StatusCode.Accepted, Local(2025, 3, 20, 8, 30));
    }

    [Fact]
    public async Task Every_figure_of_the_whole_hub_is_counted_from_the_exchanges()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        await ExchangeAsync(province);
        await province.RefreshAsync(AsOf);

        var report = await province.Reports.ReportAsync(new ReportRequest(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31)));

        // The ministry is beyond the parent: C5 is not among the hub's sent documents, C4's delivery to it not among its received.
        var expected = new Dictionary<Figure, long>
        {
            [Figure.Sent] = 6,                        // C1 C2 C3 C4 C6 C7
            [Figure.SentInternal] = 5,
            [Figure.SentExternal] = 1,                // C4 (to the ministry)
            [Figure.SentElectronicOnly] = 5,
            [Figure.SentWithPaper] = 1,               // C2
            [Figure.EnvelopeOrganization] = 1,        // C1
            [Figure.EnvelopePersonal] = 1,            // C3
            [Figure.EnvelopeUnknown] = 0,
            [Figure.EnvelopeUnsigned] = 4,            // C2 C4 C6 C7
            [Figure.PdfAttachments] = 7,              // C1:1 C2:2 C3:1 C4:1 C6:2
            [Figure.PdfOrganization] = 2,             // C1, C6 (C3's seal is broken)
            [Figure.PdfPersonal] = 2,                 // C2, C6
            [Figure.PdfUnsigned] = 1,                 // C2
            [Figure.PdfBroken] = 1,                   // C3
            [Figure.PdfUnreadable] = 1,               // C4
            [Figure.DocumentsWithPdf] = 5,
            [Figure.DocumentsPdfOrganization] = 2,    // C1 C6
            [Figure.DocumentsPdfPersonal] = 2,        // C2 C6
            [Figure.DocumentsPdfUnsigned] = 1,        // C2
            [Figure.DocumentsPdfBroken] = 1,          // C3
            [Figure.DocumentsPdfUnreadable] = 1,      // C4
            [Figure.SentDated] = 6,
            [Figure.SentLate] = 1,                    // C2
            [Figure.UrgentDated] = 3,                 // C2 C4 C7
            [Figure.UrgentLate] = 1,                  // C2
            [Figure.Received] = 9,                    // C1×2 C2 C3 C4×2 (Finance, district) C5 C6 C7
            [Figure.ReceivedInternal] = 8,
            [Figure.ReceivedExternal] = 1,            // C5
            [Figure.ReceivedElectronicOnly] = 8,
            [Figure.ReceivedWithPaper] = 1,           // C2
            [Figure.AcknowledgedSameDay] = 5,         // C1×2 (Friday evening counts as Monday) C3 C5 C6
            [Figure.ReceivedDue] = 9,                 // every deadline passed by 31/3
            [Figure.ReceivedOnTime] = 5,              // C1×2 C3 C5 C6; C4 to Finance was fetched Monday, after its Saturday
            [Figure.NotReceived] = 2,                 // C2 (Construction), C4 (the district)
            [Figure.Refused] = 1,                     // C4 by Finance
            [Figure.TakeBackRequested] = 1,           // C6
            [Figure.ChangeAccepted] = 1,              // C6
            [Figure.ChangeRejected] = 0,
            [Figure.FailedDeliveries] = 1,            // C6

            // Times from acceptance to the first answer, in seconds; working time counts only working days (midnight to midnight).
            // Picked up (fetched or confirmed): C1 Construction Fri 19:00 → Mon 09:00 62 h (working: Fri 5 h + Mon 9 h = 14 h);
            // C3 Mon 09:00 → 16:00 7 h; C4 Finance make-up Sat 10:00 → Mon 09:00 47 h (working: Sat 14 h + Mon 9 h = 23 h);
            // C5 20 min; C6 1 h; C7 Wed 16:59 → Thu 08:00 15 h 01 min.
            [Figure.PickedUp] = 6,
            [Figure.PickedUpSeconds] = (62 * 3600) + (7 * 3600) + (47 * 3600) + (20 * 60) + 3600 + (15 * 3600) + 60,
            [Figure.PickedUpWorkingSeconds] = (14 * 3600) + (7 * 3600) + (23 * 3600) + (20 * 60) + 3600 + (15 * 3600) + 60,

            // 01: only the commune's for C1, Fri 19:00 → Mon 10:00: 63 h (working 5 h + 10 h).
            [Figure.Arrived] = 1,
            [Figure.ArrivedSeconds] = 63 * 3600,
            [Figure.ArrivedWorkingSeconds] = 15 * 3600,

            // 02: Finance's for C4, Sat 10:00 → 11:00 (a make-up working Saturday).
            [Figure.RefusedSeconds] = 3600,
            [Figure.RefusedWorkingSeconds] = 3600,

            // 03: C1 Construction Fri 19:00 → Mon 14:00 67 h (working 5 h + 14 h); C5 1 h; C7 Wed 16:59 → Thu 08:30 15 h 31 min.
            [Figure.Accepted] = 3,
            [Figure.AcceptedSeconds] = (67 * 3600) + 3600 + (15 * 3600) + (31 * 60),
            [Figure.AcceptedWorkingSeconds] = (19 * 3600) + 3600 + (15 * 3600) + (31 * 60),

            // 06: C1 Construction Fri 19:00 → Wed 10:00 111 h (working: Fri 5 h, Mon 24 h, Tue 24 h, Wed 10 h = 63 h);
            // C5 Tue 10:00 → Fri 10:00 72 h, all on working days.
            [Figure.Finished] = 2,
            [Figure.FinishedSeconds] = (111 * 3600) + (72 * 3600),
            [Figure.FinishedWorkingSeconds] = (63 * 3600) + (72 * 3600),
        };
        Assert.Equal(Figures.All.Count, expected.Count);
        Assert.All(Figures.All, f => Assert.True(expected[f] == report.Total[f], $"{f}: expected {expected[f]}, counted {report.Total[f]}"));
        Assert.Equal(new Dictionary<string, long> { ["confirm-fail"] = 1 }, report.FailuresByCode);
        Assert.Equal("all agencies", report.UnitName);
        Assert.Equal(AsOf, report.AsOf);
    }

    [Fact]
    public async Task The_ranking_puts_the_worst_share_received_on_time_first_and_lists_who_did_not_receive()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        await ExchangeAsync(province);
        await province.RefreshAsync(AsOf);

        var report = await province.Reports.ReportAsync(new ReportRequest(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31)));

        // Province 0/1 (C7), district 0/1 (C4), Construction 1/2 (C1 yes, C2 no), Finance 2/3 (C3 C5 yes, C4 no), Commune 2/2.
        Assert.Equal(
            [(Province, 1L, 0L), (District, 1L, 0L), (Construction, 2L, 1L), (Finance, 3L, 2L), (Commune, 2L, 2L)],
            report.Ranking.Select(r => (r.Agency, r.Due, r.OnTime)));
        Assert.Equal([1, 2, 3, 4, 5], report.Ranking.Select(r => r.Rank));
        Assert.Equal("UBND tỉnh Thanh Hóa", report.Ranking[0].Name);
        Assert.Equal([(Construction, 1L), (District, 1L)], report.NotReceived.Select(n => (n.Agency, n.Count)));
    }

    [Fact]
    public async Task A_unit_rolls_up_its_subtree_and_the_breakdowns_split_the_same_totals()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        await ExchangeAsync(province);
        await province.RefreshAsync(AsOf);
        var period = (From: new DateOnly(2025, 1, 1), To: new DateOnly(2025, 3, 31));

        var construction = await province.Reports.ReportAsync(new ReportRequest(period.From, period.To, Construction));
        var byTier = await province.Reports.ReportAsync(new ReportRequest(period.From, period.To, By: ReportBreakdown.Tier));
        var byMonth = await province.Reports.ReportAsync(new ReportRequest(period.From, period.To, By: ReportBreakdown.Month));
        var byDay = await province.Reports.ReportAsync(new ReportRequest(new DateOnly(2025, 3, 17), new DateOnly(2025, 3, 17), By: ReportBreakdown.Day));

        // Construction and the commune below it: sent C3 C4 C7; received C1×2 C2 C6.
        Assert.Equal("Sở Xây dựng", construction.UnitName);
        Assert.Equal((3L, 4L), (construction.Total[Figure.Sent], construction.Total[Figure.Received]));
        Assert.Equal([Construction, Commune], construction.Rows.Select(r => r.Key).Order(StringComparer.Ordinal));

        // Departments sent C1 C2 C3 C4 C6 and received C1 C2 (Construction) C3 C4 C5 (Finance); the commune sent C7 and
        // received C1 C6; the province and the district sent nothing and received C7 and C4.
        Assert.Equal(
            [("commune", 1L, 2L), ("department", 5L, 5L), ("district", 0L, 1L), ("province", 0L, 1L)],
            byTier.Rows.Select(r => (r.Key, r.Figures[Figure.Sent], r.Figures[Figure.Received])));

        // February: C3 C4; March: C1 C2 C6 C7.
        Assert.Equal([("2025-02", 2L), ("2025-03", 4L)], byMonth.Rows.Select(r => (r.Key, r.Figures[Figure.Sent])));

        // Monday 17/3 had only C2 (C1 was accepted on Friday evening).
        Assert.Equal([("2025-03-17", 1L, 1L)], byDay.Rows.Select(r => (r.Key, r.Figures[Figure.Sent], r.Figures[Figure.SentLate])));
    }

    [Fact]
    public async Task Rollups_follow_new_answers_and_passing_deadlines_incrementally()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        var (c2, _) = await province.SendAsync(Finance, [Construction], new DateOnly(2025, 3, 14), Local(2025, 3, 17, 13));
        var monday = new ReportRequest(new DateOnly(2025, 3, 17), new DateOnly(2025, 3, 17));

        await province.RefreshAsync(Local(2025, 3, 17, 14));
        var beforeDeadline = (await province.Reports.ReportAsync(monday)).Total;
        var recountedAtDeadline = await province.RefreshAsync(Local(2025, 3, 18, 1));
        var afterDeadline = (await province.Reports.ReportAsync(monday)).Total;
        await province.FetchAsync(c2, Construction, Local(2025, 3, 18, 9));
        await province.RefreshAsync(Local(2025, 3, 18, 10));
        var fetchedLate = (await province.Reports.ReportAsync(monday)).Total;
        var recountedWithoutChange = await province.RefreshAsync(Local(2025, 3, 18, 11));

        Assert.Equal((1L, 0L, 0L), (beforeDeadline[Figure.Received], beforeDeadline[Figure.ReceivedDue], beforeDeadline[Figure.NotReceived]));
        Assert.Equal(1, recountedAtDeadline);
        Assert.Equal((1L, 1L, 0L), (afterDeadline[Figure.ReceivedDue], afterDeadline[Figure.NotReceived], afterDeadline[Figure.ReceivedOnTime]));
        Assert.Equal((1L, 0L, 0L), (fetchedLate[Figure.ReceivedDue], fetchedLate[Figure.NotReceived], fetchedLate[Figure.ReceivedOnTime]));
        Assert.Equal(0, recountedWithoutChange);
    }

    [Fact]
    public async Task Verify_finds_nothing_after_a_refresh_and_names_a_rollup_changed_behind_its_back()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        await ExchangeAsync(province);
        await province.RefreshAsync(AsOf);
        var year = (From: new DateOnly(2025, 1, 1), To: new DateOnly(2025, 12, 31));

        var clean = await province.Reports.VerifyAsync(year.From, year.To);
        await using (var tamper = province.DataSource.CreateCommand(
            "UPDATE lgsp.report_rollup SET counts[1] = 99 WHERE day = '2025-03-14' AND agency = $1"))
        {
            tamper.Parameters.AddWithValue(Finance);
            await tamper.ExecuteNonQueryAsync();
        }

        var differences = await province.Reports.VerifyAsync(year.From, year.To);

        Assert.Empty(clean);
        Assert.Equal([new RollupDifference(new DateOnly(2025, 3, 14), Finance, "sent", 99, 1)], differences);
    }

    [Fact]
    public async Task A_rebuild_reports_the_days_it_has_counted_and_counts_the_same_figures()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        await ExchangeAsync(province);
        await province.RefreshAsync(AsOf);
        var before = await province.Reports.ReportAsync(new ReportRequest(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31)));
        var steps = new List<RefreshProgress>();

        // Synchronous, so that every step is recorded before the refresh returns.
        var days = await province.Reports.RefreshAsync(rebuildAll: true, new Recorder(steps));
        var after = await province.Reports.ReportAsync(new ReportRequest(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31)));

        // Documents on 3/2, 15/2, 11/3, 14/3, 17/3, 18/3 and 19/3: seven days, read in one go (up to 31 days' documents at a time).
        Assert.Equal(7, days);
        Assert.Equal([new RefreshProgress(0, 7), new RefreshProgress(7, 7)], steps);
        Assert.Equal(before.Total.ToArray(), after.Total.ToArray());
    }

    private sealed class Recorder(List<RefreshProgress> steps) : IProgress<RefreshProgress>
    {
        public void Report(RefreshProgress value) => steps.Add(value);
    }

    [Fact]
    public async Task A_calendar_change_recounts_every_day()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        await province.SendAsync(Finance, [Construction], new DateOnly(2025, 3, 14), Local(2025, 3, 17, 11));
        await province.RefreshAsync(Local(2025, 3, 20, 12));
        var onTime = (await province.Reports.ReportAsync(new ReportRequest(new DateOnly(2025, 3, 17), new DateOnly(2025, 3, 17)))).Total[Figure.SentLate];

        // Saturday 15/3 declared a working day: the deadline of a Friday document becomes Saturday noon.
        await province.Calendar.SetDayAsync(new Exchange.Reports.Calendar.CalendarDay(new DateOnly(2025, 3, 15), Exchange.Reports.Calendar.DayKind.Working, "làm bù"), "test");
        await province.RefreshAsync(Local(2025, 3, 20, 13));
        var late = (await province.Reports.ReportAsync(new ReportRequest(new DateOnly(2025, 3, 17), new DateOnly(2025, 3, 17)))).Total[Figure.SentLate];

        Assert.Equal((0L, 1L), (onTime, late));
    }

    [Fact]
    public async Task Rollups_counted_with_the_older_figure_list_are_named_by_verify_and_recounted_at_the_next_refresh()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        await ExchangeAsync(province);
        await province.RefreshAsync(AsOf);
        var quarter = new ReportRequest(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31));
        var counted = (await province.Reports.ReportAsync(quarter)).Total.ToArray();

        // As the version before the time figures left them: 39 counts a row, 39 names and the settings in the state.
        var older = (int)Figure.FailedDeliveries + 1;
        await using (var downgrade = province.DataSource.CreateCommand($"""
            UPDATE lgsp.report_rollup SET counts = counts[1:{older}];
            UPDATE lgsp.report_rollup_state SET figures = figures[1:{older}] || figures[array_length(figures, 1)];
            """))
        {
            await downgrade.ExecuteNonQueryAsync();
        }

        var stale = await province.Reports.VerifyAsync(quarter.From, quarter.To);
        var recounted = await province.RefreshAsync(AsOf.AddMinutes(1));
        var after = (await province.Reports.ReportAsync(quarter)).Total.ToArray();

        Assert.Contains(new RollupDifference(new DateOnly(2025, 3, 14), Construction, "accepted", 0, 1), stale);
        Assert.DoesNotContain(stale, d => d.Figure == "sent");
        Assert.Equal(7, recounted);
        Assert.Equal(counted, after);
        Assert.Empty(await province.Reports.VerifyAsync(quarter.From, quarter.To));
    }
}
