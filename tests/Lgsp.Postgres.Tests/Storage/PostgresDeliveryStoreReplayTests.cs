using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>Replay on the real store: what it changes, what it records, what it leaves alone.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDeliveryStoreReplayTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReplayingAFailedPushDeliveryMakesItRetryingNowWithALedgerEntryAndLeavesItsAttemptsAsTheyWere()
    {
        await using var hub = await OpenAsync();
        var id = await hub.FailedPushAsync("D1", "A", attempts: 3, DeliveryErrorCode.Http(503));
        var attemptsBefore = await hub.TableAsync("delivery_attempt");

        var result = await hub.Service.RunAsync(ReplayRequest.Single(id, "operator:lan", "peer fixed its certificate"));

        var item = Assert.Single(result.Items);
        Assert.Equal(ReplayOutcome.Replayed, item.Outcome);
        Assert.Equal(DeliveryState.Retrying, item.NewState);
        Assert.Equal("retrying", await hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE id = {id}"));
        Assert.Equal(hub.Clock.UtcDateTime, await hub.ScalarAsync($"SELECT next_attempt_at FROM lgsp.delivery WHERE id = {id}"));
        Assert.Equal(attemptsBefore, await hub.TableAsync("delivery_attempt"));

        var (actor, detail) = Assert.Single(await hub.LedgerAsync("delivery.replayed"));
        Assert.Equal("operator:lan", actor);
        Assert.Equal("operator:lan", detail.GetProperty("by").GetString());
        Assert.Equal("peer fixed its certificate", detail.GetProperty("reason").GetString());
        Assert.Equal("failed", detail.GetProperty("previousState").GetString());
        Assert.Equal("HTTP 503 (gave up after 3 attempts)", detail.GetProperty("previousError").GetString());
        Assert.Equal("http-503", detail.GetProperty("previousErrorCode").GetString());
        Assert.True(detail.GetProperty("single").GetBoolean());

        // A fresh budget: the next claim knows the three earlier attempts do not count.
        var work = await hub.Deliveries.ClaimPushAsync(id, hub.Clock, TimeSpan.FromMinutes(2));
        Assert.Equal(3, work!.Attempts);
        Assert.Equal(3, work.AttemptBase);
    }

    [Fact]
    public async Task ReplayingAFailedPullDeliveryPutsItBackInTheRecipientsPendingList()
    {
        await using var hub = await OpenAsync();
        var id = (await hub.SaveAsync("D1", new NewDelivery("A", "A", DeliveryMode.Pull))).Single();
        await hub.Packages.ConfirmAsync(id, done: false, "not ours", "sys-a", Now);

        var result = await hub.Service.RunAsync(ReplayRequest.Single(id, "operator:lan", "misrouted by us; the recipient agreed to take it"));

        Assert.Equal(DeliveryState.Pending, Assert.Single(result.Items).NewState);
        Assert.Equal([id], (await hub.Packages.PendingAsync(["A"], PackageKind.Document, 10)).Select(p => p.Id));
        var (_, detail) = Assert.Single(await hub.LedgerAsync("delivery.replayed"));
        Assert.Equal("confirm-fail", detail.GetProperty("previousErrorCode").GetString());
    }

    [Fact]
    public async Task AReplayRoutesThroughTheCurrentDirectoryAndRecordsTheNewRoute()
    {
        await using var hub = await OpenAsync();
        var id = await hub.FailedPushAsync("D1", "A", attempts: 1, DeliveryErrorCode.NoEndpoint);
        await hub.Directory.SaveAgencyAsync(new Agency("A", "A", null, AgencyTier.Department, true, null, null, default), "operator");

        var result = await hub.Service.RunAsync(ReplayRequest.Single(id, "operator:lan", "A pulls now"));

        var item = Assert.Single(result.Items);
        Assert.Equal((DeliveryState.Pending, new ReplayRoute("A", DeliveryMode.Pull, null)), (item.NewState, item.Route));
        Assert.Equal("pull", await hub.ScalarAsync($"SELECT mode FROM lgsp.delivery WHERE id = {id}"));
        Assert.Equal([id], (await hub.Packages.PendingAsync(["A"], PackageKind.Document, 10)).Select(p => p.Id));
        var (_, detail) = Assert.Single(await hub.LedgerAsync("delivery.replayed"));
        Assert.Equal("push", detail.GetProperty("previousRoute").GetProperty("mode").GetString());
        Assert.Equal("pull", detail.GetProperty("route").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task ADeliveryWithoutARouteNowStaysFailedAndTheAnswerSaysWhy()
    {
        await using var hub = await OpenAsync();
        var id = await hub.FailedPushAsync("D1", "A", attempts: 1, DeliveryErrorCode.Timeout);
        await hub.ExecuteAsync("UPDATE lgsp.agency SET active = false WHERE code = 'A'");

        var result = await hub.Service.RunAsync(ReplayRequest.Single(id, "operator:lan", "again"));

        Assert.Equal(ReplayOutcome.NoRoute, Assert.Single(result.Items).Outcome);
        Assert.Contains("no route: A is retired without a successor", result.Items[0].Explanation);
        Assert.Equal("failed", await hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE id = {id}"));
        Assert.Empty(await hub.LedgerAsync("delivery.replayed"));
    }

    [Fact]
    public async Task ReplayingADeliveryThatIsDeliveredOrStillRetryingDoesNothingAndSaysSo()
    {
        await using var hub = await OpenAsync();
        var ids = await hub.SaveAsync("D1", new NewDelivery("A", "A", DeliveryMode.Push), new NewDelivery("B", "B", DeliveryMode.Push));
        await hub.Deliveries.RecordPushAsync(new PushRecord(ids[0], 1, Now, Now, DeliveryState.Delivered, null, false, null));
        await hub.Deliveries.RecordPushAsync(new PushRecord(ids[1], 1, Now, Now, DeliveryState.Retrying, "HTTP 503", false, Now.AddMinutes(1), "http-503"));
        var before = await hub.TableAsync("delivery");

        var delivered = await hub.Service.RunAsync(ReplayRequest.Single(ids[0], "operator:lan", "again"));
        var retrying = await hub.Service.RunAsync(ReplayRequest.Single(ids[1], "operator:lan", "again"));
        var missing = await hub.Service.RunAsync(ReplayRequest.Single(999_999, "operator:lan", "again"));

        Assert.Equal(ReplayOutcome.AlreadyDelivered, Assert.Single(delivered.Items).Outcome);
        Assert.Equal($"delivery {ids[0]} is already delivered; nothing to replay", delivered.Items[0].Explanation);
        Assert.Equal(ReplayOutcome.NotFailed, Assert.Single(retrying.Items).Outcome);
        Assert.Equal(ReplayOutcome.NotFound, Assert.Single(missing.Items).Outcome);
        Assert.Equal(before, await hub.TableAsync("delivery"));
        Assert.Empty(await hub.LedgerAsync("delivery.replayed"));
    }

    [Fact]
    public async Task TheFilterSelectsExactlyTheFailedDeliveriesMatchingEveryCondition()
    {
        await using var hub = await OpenAsync();
        var match = await hub.FailedPushAsync("D1", "A", attempts: 1, DeliveryErrorCode.Http(503), hub: "lgsp-bo");
        await hub.FailedPushAsync("D2", "B", attempts: 1, DeliveryErrorCode.Http(503), hub: "lgsp-bo");
        await hub.FailedPushAsync("D3", "A", attempts: 1, DeliveryErrorCode.Timeout, hub: "lgsp-bo");
        await hub.FailedPushAsync("D4", "A", attempts: 1, DeliveryErrorCode.Http(503));
        var early = await hub.FailedPushAsync("D5", "A", attempts: 1, DeliveryErrorCode.Http(503), hub: "lgsp-bo");
        await hub.ExecuteAsync($"UPDATE lgsp.delivery SET failed_at = failed_at - interval '2 days' WHERE id = {early}");
        var notFailed = (await hub.SaveAsync("D6", new NewDelivery("A", "A", DeliveryMode.Push))).Single();
        await hub.ExecuteAsync($"UPDATE lgsp.delivery SET via_hub = 'lgsp-bo', last_error_code = 'http-503' WHERE id = {notFailed}");

        var filter = new ReplayFilter("A", "lgsp-bo", Now.AddDays(-1), "http-503");
        var preview = await hub.Service.PreviewAsync(ReplayRequest.Failed(filter, "operator:lan", "peer back"));
        var everyFailed = await hub.Service.PreviewAsync(ReplayRequest.Failed(new ReplayFilter(), "operator:lan", "peer back"));

        Assert.Equal([match], preview.Select(i => i.DeliveryId));
        Assert.Equal("lgsp-bo", preview[0].Delivery!.Via);
        Assert.Equal(5, everyFailed.Count);
        Assert.All(everyFailed, i => Assert.Equal(ReplayOutcome.Replayed, i.Outcome));

        var result = await hub.Service.RunAsync(ReplayRequest.Failed(filter, "operator:lan", "peer back"));
        Assert.Equal(1, result.Replayed);
        var (_, detail) = Assert.Single(await hub.LedgerAsync("delivery.replayed"));
        Assert.Equal("lgsp-bo", detail.GetProperty("filter").GetProperty("hub").GetString());
        Assert.Equal("http-503", detail.GetProperty("filter").GetProperty("error").GetString());
        Assert.Equal(4L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.delivery WHERE state = 'failed'"));
    }

    [Fact]
    public async Task ADryRunListsWhatWouldBeReplayedAndChangesNothing()
    {
        await using var hub = await OpenAsync();
        var first = await hub.FailedPushAsync("D1", "A", attempts: 2, DeliveryErrorCode.ConnectionRefused);
        var second = await hub.FailedPushAsync("D2", "B", attempts: 1, DeliveryErrorCode.Http(400));
        string[] tables = ["delivery", "delivery_attempt", "ledger", "package"];
        var before = await Task.WhenAll(tables.Select(hub.TableAsync));

        var result = await hub.Service.RunAsync(ReplayRequest.Failed(new ReplayFilter(), "operator:lan", "checking", dryRun: true));

        Assert.True(result.DryRun);
        Assert.Equal([first, second], result.Items.Select(i => i.DeliveryId));
        Assert.All(result.Items, i => Assert.Null(i.NewState));
        Assert.Equal(before, await Task.WhenAll(tables.Select(hub.TableAsync)));
    }

    [Fact]
    public async Task TheReconcilerPicksUpAReplayedPushAtOnceButOtherPushesOnlyAfterTheGrace()
    {
        await using var hub = await OpenAsync();
        var replayed = await hub.FailedPushAsync("D1", "A", attempts: 1, DeliveryErrorCode.Timeout);
        var fresh = (await hub.SaveAsync("D2", new NewDelivery("A", "A", DeliveryMode.Push))).Single();
        await hub.ExecuteAsync($"UPDATE lgsp.delivery SET created_at = now(), next_attempt_at = now() WHERE id = {fresh}");
        await hub.Service.RunAsync(ReplayRequest.Single(replayed, "operator:lan", "peer back"));
        await hub.ExecuteAsync($"UPDATE lgsp.delivery SET next_attempt_at = now() WHERE id = {replayed}");

        // The grace puts the cut-off a minute back: neither is overdue by it, but the replayed one has no job.
        var overdue = await hub.Deliveries.OverduePushesAsync(DateTimeOffset.UtcNow.AddMinutes(-1), 10);

        Assert.Equal([replayed], overdue.Select(g => g.Lead));
    }

    [Fact]
    public async Task AnAttemptWhoseLeaseExpiredAndWasReplayedSinceRecordsItsAttemptButDoesNotOverwriteTheReplay()
    {
        await using var hub = await OpenAsync();
        var id = (await hub.SaveAsync("D1", new NewDelivery("A", "A", DeliveryMode.Push))).Single();
        var stale = await hub.Deliveries.ClaimPushAsync(id, Now, TimeSpan.FromMinutes(2));
        var later = await hub.Deliveries.ClaimPushAsync(id, Now.AddMinutes(5), TimeSpan.FromMinutes(2));
        Assert.True(await hub.Deliveries.RecordPushAsync(new PushRecord(id, 1, Now.AddMinutes(5), Now.AddMinutes(6), DeliveryState.Failed, "HTTP 400", true, null,
            DeliveryErrorCode.Http(400)) { LeaseUntil = later!.LeaseUntil }));
        Assert.Equal(ReplayOutcome.Replayed, Assert.Single((await hub.Service.RunAsync(ReplayRequest.Single(id, "operator:lan", "peer fixed"))).Items).Outcome);
        var (delivery, ledger) = (await hub.TableAsync("delivery"), await hub.TableAsync("ledger"));

        var recorded = await hub.Deliveries.RecordPushAsync(new PushRecord(id, 1, Now, Now.AddMinutes(7), DeliveryState.Failed, "no answer", false, null,
            DeliveryErrorCode.Timeout) { LeaseUntil = stale!.LeaseUntil });

        Assert.False(recorded);
        Assert.Equal(delivery, await hub.TableAsync("delivery"));
        Assert.Equal(ledger, await hub.TableAsync("ledger"));
        Assert.Equal(2L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.delivery_attempt WHERE delivery_id = {id}"));
    }

    [Fact]
    public async Task AnAttemptWhoseLeaseExpiredDoesNotOverwriteTheDeliveryTheNextClaimHolds()
    {
        await using var hub = await OpenAsync();
        var id = (await hub.SaveAsync("D1", new NewDelivery("A", "A", DeliveryMode.Push))).Single();
        var stale = await hub.Deliveries.ClaimPushAsync(id, Now, TimeSpan.FromMinutes(2));
        var later = await hub.Deliveries.ClaimPushAsync(id, Now.AddMinutes(5), TimeSpan.FromMinutes(2));
        var delivery = await hub.TableAsync("delivery");

        Assert.False(await hub.Deliveries.RecordPushAsync(new PushRecord(id, 1, Now, Now.AddMinutes(6), DeliveryState.Delivered, null, false, null)
            { LeaseUntil = stale!.LeaseUntil }));
        Assert.Equal(delivery, await hub.TableAsync("delivery"));

        Assert.True(await hub.Deliveries.RecordPushAsync(new PushRecord(id, 1, Now.AddMinutes(5), Now.AddMinutes(6), DeliveryState.Retrying, "HTTP 503", false,
            Now.AddMinutes(10), DeliveryErrorCode.Http(503)) { LeaseUntil = later!.LeaseUntil }));
        Assert.Equal("retrying", await hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE id = {id}"));
    }

    private async Task<ReplayHub> OpenAsync() => new(NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync()));

    /// <summary>A database with the stores and the replay service over them.</summary>
    private sealed class ReplayHub : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _data;

        public ReplayHub(NpgsqlDataSource data)
        {
            _data = data;
            Packages = new PostgresPackageStore(data);
            Deliveries = new PostgresDeliveryStore(data);
            Directory = new PostgresDirectoryStore(data, TimeProvider.System);
            Service = new ReplayService(Packages, Deliveries, new Router(Directory), new FixedClock(Clock));
        }

        public DateTimeOffset Clock { get; } = Now.AddHours(1);

        public PostgresPackageStore Packages { get; }

        public PostgresDeliveryStore Deliveries { get; }

        public PostgresDirectoryStore Directory { get; }

        public ReplayService Service { get; }

        public async Task<long[]> SaveAsync(string documentId, params NewDelivery[] deliveries)
        {
            // A replay routes through the directory: every recipient is this hub's agency, pushed or pulled.
            foreach (var d in deliveries)
            {
                if (await Directory.FindAgencyAsync(d.Recipient) is null)
                {
                    var endpoint = d.Mode == DeliveryMode.Push ? new Uri("http://127.0.0.1:9/in") : null;
                    await Directory.SaveAgencyAsync(new Agency(d.Recipient, d.Recipient, null, AgencyTier.Department, true, null, endpoint, default), "test");
                }
            }

            var body = Encoding.UTF8.GetBytes("<edXML>" + documentId + "</edXML>");
            var outcome = await Packages.SaveAsync(new NewPackage
            {
                Kind = PackageKind.Document,
                SenderSystem = "sys",
                From = "000.00.01.H56",
                DocumentId = documentId,
                Sha256 = SHA256.HashData(body),
                Body = PackageSpool.FromBytes(body),
                ReceivedAt = Now,
                BusinessType = BusinessDocType.New,
                Legacy = false,
                Signature = "valid",
            }, deliveries, f => Encoding.UTF8.GetBytes($"<Receipt>{f.LedgerSeq}</Receipt>"));
            return [.. outcome.Deliveries.Select(d => d.Id)];
        }

        /// <summary>A push delivery that failed after <paramref name="attempts"/> attempts, the last with <paramref name="code"/>.</summary>
        public async Task<long> FailedPushAsync(string documentId, string recipient, int attempts, string code, string? hub = null)
        {
            var id = (await SaveAsync(documentId, new NewDelivery(recipient, recipient, DeliveryMode.Push))).Single();
            for (var n = 1; n <= attempts; n++)
            {
                var last = n == attempts;
                await Deliveries.RecordPushAsync(new PushRecord(id, n, Now, Now.AddSeconds(n), last ? DeliveryState.Failed : DeliveryState.Retrying,
                    last ? $"HTTP 503 (gave up after {attempts} attempts)" : "HTTP 503", false, last ? null : Now.AddMinutes(n), code));
            }

            if (hub is not null)
            {
                // via_hub references a hub record; a child needs no address.
                await ExecuteAsync($"INSERT INTO lgsp.hub (id, role) VALUES ('{hub}', 'child') ON CONFLICT DO NOTHING");
                await ExecuteAsync($"UPDATE lgsp.delivery SET via_hub = '{hub}' WHERE id = {id}");
            }

            return id;
        }

        public async Task<object?> ScalarAsync(string sql)
        {
            await using var command = _data.CreateCommand(sql);
            return await command.ExecuteScalarAsync();
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var command = _data.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }

        /// <summary>A table's whole content as text, in a stable order.</summary>
        public async Task<string> TableAsync(string table) =>
            (string?)await ScalarAsync($"SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM lgsp.{table} t") ?? "";

        public async Task<List<(string Actor, JsonElement Detail)>> LedgerAsync(string kind)
        {
            await using var command = _data.CreateCommand("SELECT actor, detail::text FROM lgsp.ledger WHERE kind = $1 ORDER BY seq");
            command.Parameters.AddWithValue(kind);
            var rows = new List<(string, JsonElement)>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), JsonDocument.Parse(reader.GetString(1)).RootElement.Clone()));
            }

            return rows;
        }

        public ValueTask DisposeAsync() => _data.DisposeAsync();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
