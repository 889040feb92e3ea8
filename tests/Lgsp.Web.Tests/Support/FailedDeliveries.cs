using System.Globalization;
using System.Xml.Linq;
using Lgsp.TestSupport.Hub;

namespace Lgsp.Web.Tests.Support;

/// <summary>Deliveries that fail for real on the console's hub: the province sends documents and the
/// recipient's system refuses each one (ConfirmReceived with outcome <c>fail</c>), so the hub records
/// them failed with <c>confirm-fail</c>, as it does in production.</summary>
public static class FailedDeliveries
{
    /// <summary>Sends <paramref name="count"/> documents from the province to <paramref name="recipient"/>,
    /// has the recipient refuse them, and returns the failed deliveries' ids, oldest first.</summary>
    public static async Task<IReadOnlyList<long>> MakeAsync(this ConsoleSite site, string recipient, int count, string tag)
    {
        var sender = site.Topology.Client(ConsoleSite.Province);
        var documents = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var documentId = $"{ConsoleSite.Province},2026/12/06,{tag}{i}/UBND-VP";
            documents.Add(await sender.SendDocumentAsync(site.Topology.SignedDocument(ConsoleSite.Province, [recipient], documentId)));
        }

        var receiver = site.Topology.Client(recipient);
        foreach (var item in await receiver.PendingDocumentsAsync())
        {
            if (documents.Contains(Field(item, "DocumentId")))
            {
                await receiver.RefuseAsync(long.Parse(Field(item, "Id"), CultureInfo.InvariantCulture), "không đúng thẩm quyền");
            }
        }

        var ids = new List<long>();
        foreach (var documentId in documents)
        {
            var rows = await site.Hub.QueryAsync(
                "SELECT d.id FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = $1 AND d.recipient = $2 AND d.state = 'failed'",
                documentId, recipient);
            ids.Add((long)Assert.Single(rows)[0]!);
        }

        return ids;
    }

    private static string Field(XElement item, string name) => item.Elements().Single(e => e.Name.LocalName == name).Value;
}
