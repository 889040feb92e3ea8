using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPackageStoreTests(PostgresFixture fixture)
{
    private const string Sender = "000.00.01.H56";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task APackageIsStoredOnceWithOneDeliveryPerRecipientAndItsLedgerEntries()
    {
        var (data, store) = await OpenAsync();
        var outcome = await store.SaveAsync(Document("D1", "body"), [Pull("A"), Pull("B"), Pull("C")], Receipt);

        Assert.Equal(SaveResult.Saved, outcome.Result);
        Assert.Equal(3, outcome.Deliveries.Count);
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.package"));
        Assert.Equal(3L, await Scalar(data, "SELECT count(*) FROM lgsp.delivery WHERE state = 'pending'"));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.received'"));
        Assert.Equal(3L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.created'"));
        Assert.Equal(outcome.Acceptance!.LedgerSeq, await Scalar(data, "SELECT seq FROM lgsp.ledger WHERE kind = 'package.received'"));
    }

    [Fact]
    public async Task TheReceiptIsIssuedWithTheLedgerPositionAndStoredForDuplicates()
    {
        var (_, store) = await OpenAsync();
        ReceiptFacts? seen = null;
        var first = await store.SaveAsync(Document("D1", "body"), [Pull("A")], f => { seen = f; return Encoding.UTF8.GetBytes("receipt " + f.LedgerSeq); });
        var again = await store.SaveAsync(Document("D1", "body"), [Pull("A")], _ => throw new InvalidOperationException("a duplicate must not issue a receipt"));

        Assert.Equal(first.Acceptance!.LedgerSeq, seen!.LedgerSeq);
        Assert.Equal(SaveResult.Duplicate, again.Result);
        Assert.True(again.Acceptance!.Duplicate);
        Assert.Equal(first.Acceptance.Receipt, again.Acceptance.Receipt);
        Assert.Equal(first.Acceptance.ReceivedAt, again.Acceptance.ReceivedAt);
    }

    [Fact]
    public async Task ANewDocumentReusingADocumentIdWithOtherBytesIsAConflictAndStoresNothing()
    {
        var (data, store) = await OpenAsync();
        await store.SaveAsync(Document("D1", "first"), [Pull("A")], Receipt);
        var conflict = await store.SaveAsync(Document("D1", "second"), [Pull("A")], Receipt);

        Assert.Equal(SaveResult.DocumentIdConflict, conflict.Result);
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task AnUpdateMayReuseTheDocumentIdOfTheDocumentItUpdates()
    {
        var (data, store) = await OpenAsync();
        await store.SaveAsync(Document("D1", "first"), [Pull("A")], Receipt);
        var update = await store.SaveAsync(Document("D1", "second") with { BusinessType = BusinessDocType.Update }, [Pull("A")], Receipt);

        Assert.Equal(SaveResult.Saved, update.Result);
        Assert.Equal(2L, await Scalar(data, "SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task ConcurrentSendsOfTheSamePackageStoreItExactlyOnce()
    {
        var (data, store) = await OpenAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.SaveAsync(Document("D1", "body"), [Pull("A")], Receipt))));

        Assert.Single(outcomes, o => o.Result == SaveResult.Saved);
        Assert.All(outcomes, o => Assert.Equal(outcomes[0].Acceptance!.PackageId, o.Acceptance!.PackageId));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.package"));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.delivery"));
    }

    [Fact]
    public async Task ARepeatedStatusIsADuplicateExcept05()
    {
        var (data, store) = await OpenAsync();
        await store.SaveAsync(Status("03", "first"), [Pull(Sender)], Receipt);
        var repeated03 = await store.SaveAsync(Status("03", "second wording"), [Pull(Sender)], Receipt);
        await store.SaveAsync(Status("05", "first"), [Pull(Sender)], Receipt);
        var repeated05 = await store.SaveAsync(Status("05", "second wording"), [Pull(Sender)], Receipt);

        Assert.Equal(SaveResult.Duplicate, repeated03.Result);
        Assert.Equal(SaveResult.Saved, repeated05.Result);
        Assert.Equal(3L, await Scalar(data, "SELECT count(*) FROM lgsp.package WHERE kind = 'status'"));
    }

    [Fact]
    public async Task AStatusUpdatesTheLastStatusCodeOfTheDeliveryItAnswers()
    {
        var (_, store) = await OpenAsync();
        await store.SaveAsync(Document("D1", "body"), [Pull("A"), Pull("B")], Receipt);
        await store.SaveAsync(Status("03", "x", from: "A") with { StatusAbout = (Sender, "A") }, [Pull(Sender)], Receipt);

        var deliveries = await store.DeliveriesOfAsync("D1", [Sender]);
        Assert.Equal("03", deliveries.Single(d => d.Recipient == "A").LastStatusCode);
        Assert.Null(deliveries.Single(d => d.Recipient == "B").LastStatusCode);
    }

    [Fact]
    public async Task AStatusThatArrivesAfterOneFurtherInTheHandlingOrderIsStoredButDoesNotTakeItsPlace()
    {
        var (data, store) = await OpenAsync();
        await store.SaveAsync(Document("D1", "body"), [Pull("A")], Receipt);
        string? Last(IReadOnlyList<DeliveryView> deliveries) => deliveries.Single(d => d.Recipient == "A").LastStatusCode;
        async Task<SaveOutcome> Answer(string code) =>
            await store.SaveAsync(Status(code, "x" + code, from: "A") with { StatusAbout = (Sender, "A") }, [Pull(Sender)], Receipt);

        await Answer("01");
        await Answer("06");
        var overtaken = await Answer("03");
        Assert.Equal("06", Last(await store.DeliveriesOfAsync("D1", [Sender])));
        Assert.Equal(SaveResult.Saved, overtaken.Result);
        Assert.Equal(3L, await Scalar(data, "SELECT count(*) FROM lgsp.package WHERE kind = 'status'"));

        // The take-back dialogue follows the order it arrives in, and handling statuses follow it again.
        await Answer("16");
        Assert.Equal("16", Last(await store.DeliveriesOfAsync("D1", [Sender])));
        await Answer("05");
        Assert.Equal("05", Last(await store.DeliveriesOfAsync("D1", [Sender])));
    }

    [Fact]
    public async Task FetchingThenConfirmingMovesADeliveryToAcknowledgedAndOutOfThePendingList()
    {
        var (data, store) = await OpenAsync();
        var saved = await store.SaveAsync(Document("D1", "body"), [Pull("A")], Receipt);
        var id = saved.Deliveries.Single().Id;

        Assert.Single(await store.PendingAsync(["A"], PackageKind.Document, 10));
        await store.MarkFetchedAsync(id, "sys-a", Now);
        Assert.Single(await store.PendingAsync(["A"], PackageKind.Document, 10));
        await store.ConfirmAsync(id, done: true, null, "sys-a", Now);
        await store.ConfirmAsync(id, done: true, null, "sys-a", Now);

        Assert.Empty(await store.PendingAsync(["A"], PackageKind.Document, 10));
        Assert.Equal("acknowledged", await Scalar(data, $"SELECT state FROM lgsp.delivery WHERE id = {id}"));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.acknowledged'"));
    }

    [Fact]
    public async Task APushDeliveryIsClaimedByOneWorkerAtATime()
    {
        var (data, store) = await OpenAsync();
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        await directory.SaveAgencyAsync(new Agency("A", "A", null, AgencyTier.Department, true, null, new Uri("http://127.0.0.1:9/in"), default), "test");
        var saved = await store.SaveAsync(Document("D1", "body"), [new NewDelivery("A", "A", DeliveryMode.Push)], Receipt);
        var deliveries = new PostgresDeliveryStore(data);
        var id = saved.Deliveries.Single().Id;

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => deliveries.ClaimPushAsync(id, Now.AddMinutes(1), TimeSpan.FromMinutes(2)))));
        var claim = Assert.Single(claims, c => c is not null);

        Assert.True(await deliveries.RecordPushAsync(new PushRecord(id, 1, Now, Now, DeliveryState.Retrying, "HTTP 503", false, Now.AddMinutes(5)) { LeaseUntil = claim!.LeaseUntil }));
        Assert.Null(await deliveries.ClaimPushAsync(id, Now.AddMinutes(2), TimeSpan.FromMinutes(2)));
        Assert.NotNull(await deliveries.ClaimPushAsync(id, Now.AddMinutes(5), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task APushOutcomeArrivingAfterTheRecipientConfirmedDoesNotUndoTheConfirmation()
    {
        var (data, store) = await OpenAsync();
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        await directory.SaveAgencyAsync(new Agency("A", "A", null, AgencyTier.Department, true, null, new Uri("http://127.0.0.1:9/in"), default), "test");
        var id = (await store.SaveAsync(Document("D1", "body"), [new NewDelivery("A", "A", DeliveryMode.Push)], Receipt)).Deliveries.Single().Id;
        var deliveries = new PostgresDeliveryStore(data);
        var claim = await deliveries.ClaimPushAsync(id, Now.AddMinutes(1), TimeSpan.FromMinutes(2));
        await store.ConfirmAsync(id, done: true, null, "sys-a", Now.AddMinutes(1));

        var recorded = await deliveries.RecordPushAsync(new PushRecord(id, 1, Now, Now.AddMinutes(1), DeliveryState.Retrying, "HTTP 503", false, Now.AddMinutes(2))
            { LeaseUntil = claim!.LeaseUntil });

        Assert.False(recorded);
        Assert.Equal("acknowledged", await Scalar(data, $"SELECT state FROM lgsp.delivery WHERE id = {id}"));
        Assert.Equal(1L, await Scalar(data, $"SELECT count(*) FROM lgsp.delivery_attempt WHERE delivery_id = {id}"));
    }

    [Fact]
    public async Task TheReconcilerSeesOverduePushesButNotHeldOrFinishedOnes()
    {
        var (data, store) = await OpenAsync();
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        await directory.SaveAgencyAsync(new Agency("A", "A", null, AgencyTier.Department, true, null, new Uri("http://127.0.0.1:9/in"), default), "test");
        var first = (await store.SaveAsync(Document("D1", "one"), [new NewDelivery("A", "A", DeliveryMode.Push)], Receipt)).Deliveries.Single().Id;
        var second = (await store.SaveAsync(Document("D2", "two"), [new NewDelivery("A", "A", DeliveryMode.Push)], Receipt)).Deliveries.Single().Id;
        var deliveries = new PostgresDeliveryStore(data);
        await deliveries.RecordPushAsync(new PushRecord(second, 1, Now, Now, DeliveryState.Delivered, null, false, null));

        Assert.Equal([first], Assert.Single(await deliveries.OverduePushesAsync(Now.AddMinutes(1), 10)).DeliveryIds);
    }

    private async Task<(NpgsqlDataSource, PostgresPackageStore)> OpenAsync()
    {
        var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        return (data, new PostgresPackageStore(data));
    }

    internal static byte[] Receipt(ReceiptFacts facts) => Encoding.UTF8.GetBytes($"<Receipt>{facts.LedgerSeq}</Receipt>");

    private static NewDelivery Pull(string recipient) => new(recipient, recipient, DeliveryMode.Pull);

    internal static NewPackage Document(string documentId, string body) => new()
    {
        Kind = PackageKind.Document,
        SenderSystem = "sys",
        From = Sender,
        DocumentId = documentId,
        Sha256 = SHA256.HashData(Encoding.UTF8.GetBytes(body)),
        Body = PackageSpool.FromBytes(Encoding.UTF8.GetBytes(body)),
        ReceivedAt = Now,
        BusinessType = BusinessDocType.New,
        Legacy = false,
        Signature = "valid",
    };

    private static NewPackage Status(string code, string body, string from = "A") => new()
    {
        Kind = PackageKind.Status,
        SenderSystem = "sys-a",
        From = from,
        DocumentId = "D1",
        Sha256 = SHA256.HashData(Encoding.UTF8.GetBytes(code + body)),
        Body = PackageSpool.FromBytes(Encoding.UTF8.GetBytes(code + body)),
        ReceivedAt = Now,
        StatusCode = code,
        StatusTarget = Sender,
        Legacy = false,
        Signature = "valid",
    };

    internal static async Task<object?> Scalar(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
