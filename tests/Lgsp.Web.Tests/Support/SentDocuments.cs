using System.Globalization;
using System.Xml.Linq;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Web.Tests.Support;

/// <summary>Documents sent through the test hub by its agencies' real SOAP clients, for the document screens.</summary>
public static class SentDocuments
{
    private static readonly XNamespace Ns = EdocHttp.Namespace;

    /// <summary>Sends a signed document from <paramref name="from"/> with <paramref name="subject"/>;
    /// its DocumentId (<c>FROM,yyyy/MM/dd,N/UBND-VP</c>: commas, slashes and dots) and exact bytes.</summary>
    public static async Task<(string DocumentId, byte[] Package)> SendAsync(this ConsoleSite site, string from, string[] to, string subject)
    {
        var account = site.Topology.Agency(from);
        var package = TestPackages.Sign(TestPackages.Document(from, to, subject: subject), account.CertPem, account.KeyPem);
        return (await site.Topology.Client(from).SendDocumentAsync(package), package);
    }

    /// <summary>The delivery id of <paramref name="documentId"/> in <paramref name="recipient"/>'s pending list.</summary>
    public static async Task<long> PendingIdAsync(this ConsoleSite site, string recipient, string documentId)
    {
        var item = (await site.Topology.Client(recipient).PendingDocumentsAsync())
            .Single(i => i.Element(Ns + "DocumentId")?.Value == documentId);
        return long.Parse(item.Element(Ns + "Id")!.Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The recipient refuses the delivery (<c>ConfirmReceived</c> with outcome <c>fail</c>), which fails it.</summary>
    public static Task RefuseAsync(this ConsoleSite site, string recipient, long deliveryId, string reason)
    {
        var account = site.Topology.Agency(recipient);
        return EdocHttp.CallAsync(site.Topology.Http, site.Hub.SoapUri, "ConfirmReceived", account.System, account.Secret,
            $"<Id>{deliveryId.ToString(CultureInfo.InvariantCulture)}</Id><Outcome>fail</Outcome><Reason>{System.Security.SecurityElement.Escape(reason)}</Reason>");
    }

    /// <summary>A word no other test's subject has (lower-case letters, so that it folds to itself).</summary>
    public static string UniqueWord() => "tu" + string.Concat(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + (c % 26))));

    /// <summary>The document page's address.</summary>
    public static string PageOf(string documentId) => "/console/documents/" + Uri.EscapeDataString(documentId);
}
