using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using static Lgsp.Postgres.Tests.Storage.PostgresPackageStoreTests;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>What the stores keep for routing across hubs: deliveries via hubs, failed unroutable
/// deliveries, hop metadata, forwards and their peers' answers, hub records and the directory sync.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HubRoutingStoreTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly HubLink Parent = new("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "h56", [1, 2, 3], null, true);
    private const string PreviousReceipt = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task ARepeatAskingForNewRecipientsGetsExactlyTheMissingDeliveriesAndTheOriginalAnswer()
    {
        var (data, store, _) = await OpenAsync();
        var first = await store.SaveAsync(Document("D1", "body"), [Pull("A")], Receipt);
        var again = await store.SaveAsync(Document("D1", "body"), [Pull("A"), Pull("B")], _ => throw new InvalidOperationException("a repeat issues no receipt"));

        Assert.Equal(SaveResult.Duplicate, again.Result);
        Assert.True(again.Acceptance!.Duplicate);
        Assert.Equal(first.Acceptance!.Receipt, again.Acceptance.Receipt);
        Assert.Equal("B", Assert.Single(again.Deliveries).Delivery.Recipient);
        Assert.Equal(2L, await Scalar(data, "SELECT count(*) FROM lgsp.delivery"));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.created' AND detail->>'recipient' = 'B'"));
        Assert.Empty((await store.SaveAsync(Document("D1", "body"), [Pull("B")], Receipt)).Deliveries);
    }

    [Fact]
    public async Task ConcurrentRepeatsAskingForOneNewRecipientCreateItsDeliveryOnce()
    {
        var (data, store, _) = await OpenAsync();
        await store.SaveAsync(Document("D1", "body"), [Pull("A")], Receipt);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.SaveAsync(Document("D1", "body"), [Pull("B")], Receipt))));

        Assert.Single(outcomes, o => o.Deliveries.Count == 1);
        Assert.All(outcomes, o => Assert.Equal(SaveResult.Duplicate, o.Result));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.delivery WHERE recipient = 'B'"));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.created' AND detail->>'recipient' = 'B'"));
    }

    [Fact]
    public async Task ConcurrentFirstArrivalsForDifferentRecipientsStoreThePackageOnceWithEveryDelivery()
    {
        var (data, store, _) = await OpenAsync();
        var recipients = new[] { "A", "B", "C", "D", "A", "B", "C", "D" };

        await Task.WhenAll(recipients.Select(r => Task.Run(() => store.SaveAsync(Document("D1", "body"), [Pull(r)], Receipt))));

        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.package"));
        Assert.Equal(4L, await Scalar(data, "SELECT count(DISTINCT recipient) FROM lgsp.delivery"));
        Assert.Equal(4L, await Scalar(data, "SELECT count(*) FROM lgsp.delivery"));
        Assert.Equal(4L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.created'"));
    }

    [Fact]
    public async Task AnUnroutableRecipientsDeliveryIsStoredFailedWithItsCodeReasonAndLedgerEntries()
    {
        var (data, store, _) = await OpenAsync();
        var unroutable = new NewDelivery("X", "X", DeliveryMode.Pull) { FailureCode = "unknown-recipient", Failure = "no route: X is not in the directory and this hub has no parent hub" };
        var saved = await store.SaveAsync(Document("D1", "body"), [Pull("A"), unroutable], Receipt);
        var id = saved.Deliveries.Single(d => d.Delivery.Recipient == "X").Id;

        Assert.Equal("failed", await Scalar(data, $"SELECT state FROM lgsp.delivery WHERE id = {id}"));
        Assert.Equal("unknown-recipient: no route: X is not in the directory and this hub has no parent hub", await Scalar(data, $"SELECT last_error FROM lgsp.delivery WHERE id = {id}"));
        Assert.Equal("unknown-recipient", await Scalar(data, $"SELECT detail->>'code' FROM lgsp.ledger WHERE kind = 'delivery.failed' AND delivery_id = {id}"));
        Assert.Equal(1L, await Scalar(data, $"SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.created' AND delivery_id = {id}"));
        Assert.Empty(await store.PendingAsync(["X"], PackageKind.Document, 10));
        Assert.Equal("unknown-recipient: no route: X is not in the directory and this hub has no parent hub",
            (await store.DeliveriesOfAsync("D1", [Document("D1", "body").From])).Single(d => d.Recipient == "X").LastError);
    }

    [Fact]
    public async Task HopsAndThePreviousReceiptAreStoredPassedToTheReceiptAndRecordedInTheReception()
    {
        var (data, store, _) = await OpenAsync();
        ReceiptFacts? facts = null;
        var package = Document("D1", "body") with { Hops = ["district-1", "province-a"], PreviousReceiptSha256 = PreviousReceipt, SignerBinding = "vouched by province-a" };
        var saved = await store.SaveAsync(package, [Pull("A")], f => { facts = f; return Receipt(f); });

        Assert.Equal(["district-1", "province-a"], facts!.Hops);
        Assert.Equal(PreviousReceipt, facts.PreviousReceiptSha256);
        Assert.Equal(["district-1", "province-a"], (string[])(await Scalar(data, "SELECT hops FROM lgsp.package"))!);
        Assert.Equal(PreviousReceipt, await Scalar(data, "SELECT previous_receipt_sha256 FROM lgsp.package"));
        Assert.Equal("""["district-1", "province-a"]""", await Scalar(data, "SELECT detail->'hops' FROM lgsp.ledger WHERE kind = 'package.received'") is { } hops ? hops.ToString() : null);
        Assert.Equal(PreviousReceipt, await Scalar(data, "SELECT detail->>'previousReceiptSha256' FROM lgsp.ledger WHERE kind = 'package.received'"));
        Assert.Equal("vouched by province-a", await Scalar(data, "SELECT detail->>'signerBinding' FROM lgsp.ledger WHERE kind = 'package.received'"));
        Assert.Equal(["district-1", "province-a"], (await store.FindDeliveryAsync(saved.Deliveries.Single().Id))!.Hops);
        Assert.Equal(saved.Acceptance!.Receipt, await store.ReadReceiptAsync(saved.Acceptance.PackageId));
    }

    [Fact]
    public async Task AClaimedForwardCarriesItsHubTheCodeAsWrittenTheHopsAndThisHubsReceipt()
    {
        var (data, store, directory) = await OpenAsync();
        await directory.SaveHubAsync(Parent, "test");
        var forward = new NewDelivery("000.00.99.G01", "000.00.99.OLD", DeliveryMode.Push) { Via = Parent.Id };
        var saved = await store.SaveAsync(Document("D1", "body") with { Hops = ["district-1"] }, [forward], Receipt);

        var work = await new PostgresDeliveryStore(data).ClaimPushAsync(saved.Deliveries.Single().Id, Now.AddMinutes(1), TimeSpan.FromMinutes(2));

        Assert.NotNull(work);
        Assert.Equal(Parent.Id, work.Via?.Id);
        Assert.Equal(Parent.SealedSecret, work.Via?.SealedSecret);
        Assert.Null(work.Endpoint);
        Assert.Equal("000.00.99.OLD", work.AddressedTo);
        Assert.Equal(["district-1"], work.Hops);
        Assert.Equal(saved.Acceptance!.Receipt, work.Receipt);
    }

    [Fact]
    public async Task AClaimPutsAStartedAttemptNamingThePeerInTheLedgerAndAFailedClaimPutsNothing()
    {
        var (data, store, directory) = await OpenAsync();
        await directory.SaveHubAsync(Parent, "test");
        var saved = await store.SaveAsync(Document("D1", "body"), [new NewDelivery("Z", "Z", DeliveryMode.Push) { Via = Parent.Id }], Receipt);
        var deliveries = new PostgresDeliveryStore(data);

        Assert.NotNull(await deliveries.ClaimPushAsync(saved.Deliveries.Single().Id, Now.AddMinutes(1), TimeSpan.FromMinutes(2)));
        Assert.Null(await deliveries.ClaimPushAsync(saved.Deliveries.Single().Id, Now.AddMinutes(1), TimeSpan.FromMinutes(2)));

        Assert.Equal("1", await Scalar(data, "SELECT count(*)::text FROM lgsp.ledger WHERE kind = 'attempt.started'"));
        Assert.Equal("hub:" + Parent.Id, await Scalar(data, "SELECT detail->>'peer' FROM lgsp.ledger WHERE kind = 'attempt.started'"));
        Assert.Equal("1", await Scalar(data, "SELECT detail->>'attempt' FROM lgsp.ledger WHERE kind = 'attempt.started'"));
    }

    [Fact]
    public async Task AForwardViaAParentDisabledSinceIsNotSentButFailsWithHubDisabled()
    {
        var (data, store, directory) = await OpenAsync();
        await directory.SaveHubAsync(Parent, "test");
        var saved = await store.SaveAsync(Document("D1", "body"), [new NewDelivery("Z", "Z", DeliveryMode.Push) { Via = Parent.Id }], Receipt);
        var id = saved.Deliveries.Single().Id;
        await directory.SaveHubAsync(Parent with { Active = false }, "operator");
        var transport = new CountingTransport();
        var pushes = new PushDeliveries(new PostgresDeliveryStore(data), transport, new NoQueue(), TimeProvider.System, new RetryPolicy());

        Assert.Equal(DeliveryState.Failed, await pushes.RunAsync(id));

        Assert.Equal(0, transport.Calls);
        Assert.Equal(("failed", DeliveryErrorCode.HubDisabled), (await Scalar(data, $"SELECT state FROM lgsp.delivery WHERE id = {id}"),
            await Scalar(data, $"SELECT last_error_code FROM lgsp.delivery WHERE id = {id}")));
        Assert.Equal(DeliveryErrorCode.HubDisabled, await Scalar(data, "SELECT detail->>'errorCode' FROM lgsp.ledger WHERE kind = 'delivery.failed'"));
    }

    [Fact]
    public async Task ARecordedForwardKeepsThePeersDocIdAndItsReceiptInTheLedger()
    {
        var (data, store, directory) = await OpenAsync();
        await directory.SaveHubAsync(Parent, "test");
        var saved = await store.SaveAsync(Document("D1", "body"), [new NewDelivery("Z", "Z", DeliveryMode.Push) { Via = Parent.Id }], Receipt);
        var id = saved.Deliveries.Single().Id;
        var deliveries = new PostgresDeliveryStore(data);
        var claim = await deliveries.ClaimPushAsync(id, Now.AddMinutes(1), TimeSpan.FromMinutes(2));

        Assert.True(await deliveries.RecordPushAsync(new PushRecord(id, 1, Now, Now, DeliveryState.Delivered, null, false, null, PeerDocId: "4711", PeerReceipt: Encoding.UTF8.GetBytes("<Receipt/>"))
            { LeaseUntil = claim!.LeaseUntil }));

        var view = (await store.DeliveriesOfAsync("D1", [Document("D1", "body").From])).Single();
        Assert.Equal(("4711", Parent.Id), (view.PeerDocId, view.Via));
        Assert.Equal("4711", await Scalar(data, "SELECT detail->>'peerDocId' FROM lgsp.ledger WHERE kind = 'attempt.succeeded'"));
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("<Receipt/>")), await Scalar(data, "SELECT detail->>'peerReceipt' FROM lgsp.ledger WHERE kind = 'attempt.succeeded'"));
    }

    [Fact]
    public async Task AChildHubsPendingListHoldsThePullDeliveriesViaItAndTheAgencyListDoesNot()
    {
        var (_, store, directory) = await OpenAsync();
        await directory.SaveHubAsync(new HubLink("district-1", HubRole.Child, null, null, null, null, true), "test");
        await directory.SaveHubAsync(new HubLink("district-2", HubRole.Child, null, null, null, null, true), "test");
        await store.SaveAsync(Document("D1", "one"), [Pull("A"), Pull("C1") with { Via = "district-1" }, Pull("C2") with { Via = "district-2" }], Receipt);

        Assert.Equal(["C1"], (await store.PendingViaAsync("district-1", null, PackageKind.Document, 10)).Select(i => i.To));
        Assert.Empty(await store.PendingViaAsync("district-1", "C2", PackageKind.Document, 10));
        Assert.Equal(["A"], (await store.PendingAsync(["A", "C1", "C2"], PackageKind.Document, 10)).Select(i => i.To));
    }

    [Fact]
    public async Task ASystemAHubCallsInWithIsFoundAsThatHub()
    {
        var (_, _, directory) = await OpenAsync();
        await directory.SaveClientSystemAsync("district-1-hub", SecretHash.Hash("secret"), null, PackagePolicy.Strict, [], "test");
        await directory.SaveHubAsync(new HubLink("district-1", HubRole.Child, null, null, null, "district-1-hub", true), "test");

        Assert.Equal("district-1", (await directory.FindClientSystemAsync("district-1-hub"))!.System.Hub);

        await directory.SaveHubAsync(new HubLink("district-1", HubRole.Child, null, null, null, "district-1-hub", false), "test");
        Assert.Null((await directory.FindClientSystemAsync("district-1-hub"))!.System.Hub);
    }

    [Fact]
    public async Task AHubRecordIsSavedWithALedgerEntryThatNeverCarriesTheSecret()
    {
        var (data, _, directory) = await OpenAsync();
        await directory.SaveHubAsync(Parent, "operator");

        Assert.Equal(Parent, await directory.FindHubAsync(Parent.Id) is { } hub ? hub with { SealedSecret = Parent.SealedSecret } : null);
        Assert.Equal(Parent.SealedSecret, (await directory.FindHubAsync(Parent.Id))!.SealedSecret);
        var detail = (string)(await Scalar(data, "SELECT detail::text FROM lgsp.ledger WHERE kind = 'directory.changed'"))!;
        Assert.Contains("hub.saved", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Parent.SealedSecret!), detail, StringComparison.Ordinal);
        Assert.Equal("operator", await Scalar(data, "SELECT actor FROM lgsp.ledger WHERE kind = 'directory.changed'"));
    }

    [Fact]
    public async Task AParentWithoutItsAddressOrASecondActiveParentIsRefused()
    {
        var (_, _, directory) = await OpenAsync();
        await Assert.ThrowsAsync<Exchange.Errors.ExchangeException>(() => directory.SaveHubAsync(Parent with { BaseUrl = null }, "test"));
        await directory.SaveHubAsync(Parent, "test");
        await Assert.ThrowsAsync<Exchange.Errors.ExchangeException>(() => directory.SaveHubAsync(Parent with { Id = "other-parent" }, "test"));
    }

    [Fact]
    public async Task TheDirectorySyncAddsAndUpdatesTheParentsAgenciesButNeverOnesThisHubOrAChildServes()
    {
        var (data, _, directory) = await OpenAsync();
        await directory.SaveHubAsync(Parent, "test");
        await directory.SaveHubAsync(new HubLink("district-1", HubRole.Child, null, null, null, null, true), "test");
        await directory.SaveAgencyAsync(Agency("LOCAL", "Local name"), "test");
        await directory.SaveAgencyAsync(Agency("CHILD", "Child name") with { ServedBy = "district-1" }, "test");

        var changed = await directory.UpsertRemoteAgenciesAsync(Parent.Id, [Agency("REMOTE", "Bộ Nội vụ"), Agency("LOCAL", "Renamed"), Agency("CHILD", "Renamed")], "sync");
        Assert.Equal(1, changed);
        var again = await directory.UpsertRemoteAgenciesAsync(Parent.Id, [Agency("REMOTE", "Bộ Nội vụ (mới)") with { Active = false }], "sync");
        Assert.Equal(1, again);
        Assert.Equal(0, await directory.UpsertRemoteAgenciesAsync(Parent.Id, [Agency("REMOTE", "Bộ Nội vụ (mới)") with { Active = false }], "sync"));

        var remote = (await directory.FindAgencyAsync("REMOTE"))!;
        Assert.Equal(("Bộ Nội vụ (mới)", false, Parent.Id), (remote.Name, remote.Active, remote.ServedBy));
        Assert.Equal(("Local name", (string?)null), ((await directory.FindAgencyAsync("LOCAL"))!.Name, (await directory.FindAgencyAsync("LOCAL"))!.ServedBy));
        Assert.Equal(("Child name", "district-1"), ((await directory.FindAgencyAsync("CHILD"))!.Name, (await directory.FindAgencyAsync("CHILD"))!.ServedBy));
        Assert.Equal(3L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'directory.changed' AND actor = 'sync'"));
        await Assert.ThrowsAsync<Exchange.Errors.ExchangeException>(() => directory.UpsertRemoteAgenciesAsync("district-1", [Agency("X", "X")], "sync"));
    }

    [Fact]
    public async Task TheDirectorySyncStoresTheParentsSuccessorsAndTombstonesAndChangesNothingWhenTheyRepeat()
    {
        var (data, _, directory) = await OpenAsync();
        await directory.SaveHubAsync(Parent, "test");
        IReadOnlyCollection<Agency> synced =
        [
            Agency("NEW", "Xã mới"),
            Agency("OLD", "Xã cũ") with { Active = false, SuccessorCode = "NEW" },
            Agency("GONE", "Xã giải thể") with { Active = false, Deleted = true },
        ];

        Assert.Equal(3, await directory.UpsertRemoteAgenciesAsync(Parent.Id, synced, "sync"));
        Assert.Equal(0, await directory.UpsertRemoteAgenciesAsync(Parent.Id, synced, "sync"));

        var old = (await directory.FindAgencyAsync("OLD"))!;
        Assert.Equal(("NEW", false, false), (old.SuccessorCode, old.Active, old.Deleted));
        var gone = (await directory.FindAgencyAsync("GONE"))!;
        Assert.Equal((true, false), (gone.Deleted, gone.Active));
        Assert.Equal(2L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'directory.changed' AND actor = 'sync'"));
    }

    [Fact]
    public async Task AFirstSyncThatListsRetiredUnitsBeforeTheirSuccessorsStoresThemAllInOneCycle()
    {
        var (_, _, directory) = await OpenAsync();
        await directory.SaveHubAsync(Parent, "test");
        IReadOnlyCollection<Agency> synced =
        [
            Agency("A-OLD", "Xã cũ") with { Active = false, SuccessorCode = "B-MID" },
            Agency("B-MID", "Xã giữa") with { Active = false, SuccessorCode = "C-NEW" },
            Agency("C-NEW", "Xã mới"),
        ];

        Assert.Equal(3, await directory.UpsertRemoteAgenciesAsync(Parent.Id, synced, "sync"));

        Assert.Equal("B-MID", (await directory.FindAgencyAsync("A-OLD"))!.SuccessorCode);
        Assert.Equal("C-NEW", (await directory.FindAgencyAsync("B-MID"))!.SuccessorCode);
        Assert.True((await directory.FindAgencyAsync("C-NEW"))!.Active);
    }

    private sealed class CountingTransport : IPushTransport
    {
        public int Calls { get; private set; }

        public Task<PushResult> PushAsync(PushWork work, CancellationToken ct = default)
        {
            Calls++;
            return Task.FromResult(new PushResult(PushOutcome.Delivered));
        }
    }

    private sealed class NoQueue : IDeliveryQueue
    {
        public void Enqueue(long deliveryId)
        {
        }

        public void Schedule(long deliveryId, DateTimeOffset at)
        {
        }

        public IReadOnlySet<long> WithLiveJobs(DateTimeOffset runningSince) => new HashSet<long>();
    }

    private static Agency Agency(string code, string name) => new(code, name, null, AgencyTier.Central, true, null, null, default);

    private static NewDelivery Pull(string recipient) => new(recipient, recipient, DeliveryMode.Pull);

    private async Task<(NpgsqlDataSource, PostgresPackageStore, PostgresDirectoryStore)> OpenAsync()
    {
        var database = await StoreDatabase.OpenAsync(fixture);
        return (database.Data, database.Packages, database.Directory);
    }
}
