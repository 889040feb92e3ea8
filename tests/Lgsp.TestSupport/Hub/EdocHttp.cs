using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Lgsp.TestSupport.Hub;

/// <summary>The hub's answer to <c>SendDocument</c>.</summary>
/// <param name="DocumentId">The document's identifier.</param>
/// <param name="Sha256">The package's SHA-256 (hex).</param>
/// <param name="Duplicate">True when the hub had stored the package already.</param>
public sealed record SendAnswer(string DocumentId, string Sha256, bool Duplicate);

/// <summary>An item of <c>GetPendingDocuments</c>.</summary>
/// <param name="Id">The delivery id to fetch.</param>
/// <param name="DocumentId">The document's identifier.</param>
/// <param name="From">The sender agency.</param>
/// <param name="To">The recipient agency.</param>
public sealed record InboxItem(long Id, string DocumentId, string From, string To);

/// <summary>A SOAP answer other than 200, or one that could not be read.</summary>
/// <param name="status">The HTTP status.</param>
/// <param name="body">The answer's text (a fault).</param>
public sealed class EdocAnswerException(int status, string body)
    : Exception($"HTTP {status}: {(body.Length > 500 ? body[..500] + "..." : body)}")
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;
}

/// <summary>Raw SOAP 1.1 calls to the hub's <c>/soap/edoc</c> over <see cref="HttpClient"/>: no
/// client framework in between, so a load generator spends little and a crash test sees every failure
/// as it is.</summary>
public static class EdocHttp
{
    /// <summary>The contract's namespace.</summary>
    public const string Namespace = "urn:lgsp:edoc:1";

    private static readonly XNamespace Ns = Namespace;

    /// <summary>The SOAP 1.1 envelope of <c>SendDocument</c> carrying <paramref name="package"/>.</summary>
    public static byte[] SendDocumentEnvelope(byte[] package) =>
        Envelope($"<SendDocument xmlns=\"{Namespace}\"><Package>{Convert.ToBase64String(package)}</Package></SendDocument>");

    /// <summary>Posts a prepared <c>SendDocument</c> envelope; the answer, or <see cref="EdocAnswerException"/>.</summary>
    public static async Task<SendAnswer> SendDocumentAsync(HttpClient http, Uri soapUri, string user, string secret, byte[] envelope, CancellationToken ct = default)
    {
        var body = await PostAsync(http, soapUri, "SendDocument", user, secret, envelope, ct);
        var answer = body.Descendants(Ns + "SendDocumentResponse").Single();
        return new SendAnswer(
            answer.Element(Ns + "DocumentId")!.Value,
            answer.Element(Ns + "Sha256")!.Value,
            answer.Element(Ns + "Duplicate")!.Value == "true");
    }

    /// <summary>The documents waiting for <paramref name="agency"/> (at most <paramref name="max"/>).</summary>
    public static async Task<IReadOnlyList<InboxItem>> GetPendingDocumentsAsync(HttpClient http, Uri soapUri, string user, string secret, string agency, int max = 1000,
        CancellationToken ct = default)
    {
        var body = await PostAsync(http, soapUri, "GetPendingDocuments", user, secret,
            Envelope($"<GetPendingDocuments xmlns=\"{Namespace}\"><Agency>{agency}</Agency><MaxCount>{max.ToString(CultureInfo.InvariantCulture)}</MaxCount></GetPendingDocuments>"), ct);
        return [.. body.Descendants(Ns + "Item").Select(i => new InboxItem(
            long.Parse(i.Element(Ns + "Id")!.Value, CultureInfo.InvariantCulture),
            i.Element(Ns + "DocumentId")!.Value,
            i.Element(Ns + "From")!.Value,
            i.Element(Ns + "To")!.Value))];
    }

    /// <summary>The package of delivery <paramref name="id"/>, as stored.</summary>
    public static async Task<byte[]> GetDocumentAsync(HttpClient http, Uri soapUri, string user, string secret, long id, CancellationToken ct = default)
    {
        var body = await PostAsync(http, soapUri, "GetDocument", user, secret,
            Envelope($"<GetDocument xmlns=\"{Namespace}\"><Id>{id.ToString(CultureInfo.InvariantCulture)}</Id></GetDocument>"), ct);
        return Convert.FromBase64String(body.Descendants(Ns + "Package").Single().Value);
    }

    /// <summary>Any operation: <paramref name="innerXml"/> inside the operation's element in the contract's
    /// namespace; the answer's document, or <see cref="EdocAnswerException"/>.</summary>
    public static Task<XDocument> CallAsync(HttpClient http, Uri soapUri, string operation, string user, string secret, string innerXml, CancellationToken ct = default) =>
        PostAsync(http, soapUri, operation, user, secret, Envelope($"<{operation} xmlns=\"{Namespace}\">{innerXml}</{operation}>"), ct);

    private static byte[] Envelope(string body) =>
        Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>{body}</s:Body></s:Envelope>");

    private static async Task<XDocument> PostAsync(HttpClient http, Uri soapUri, string operation, string user, string secret, byte[] envelope, CancellationToken ct)
    {
        using var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, soapUri) { Content = content };
        request.Headers.Add("SOAPAction", $"\"{Namespace}/{operation}\"");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new EdocAnswerException((int)response.StatusCode, text);
        }

        return XDocument.Parse(text);
    }
}
