using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Outbound.Push;

/// <summary>Pushes a package to an agency's endpoint: an HTTP POST of the exact stored bytes
/// (<c>application/xml</c>, streamed from the store with their <c>Content-Length</c>) with headers naming the delivery (see docs/api.md, "Push delivery").
/// 2xx is delivered; 408, 429, 5xx and network errors are transient; other statuses are permanent,
/// redirects included: the client does not follow them, because a followed 301/302/303 turns the POST
/// into a GET without the package and its 200 would count as a delivery.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class HttpPushTransport(HttpClient http) : IPushTransport
{
    /// <summary>The named HttpClient.</summary>
    public const string ClientName = "push";

    /// <inheritdoc />
    public async Task<PushResult> PushAsync(PushWork work, CancellationToken ct = default)
    {
        var endpoint = work.Endpoint ?? throw new ArgumentException("The delivery has no push endpoint.", nameof(work));
        await using var body = await work.Body(ct);
        using var content = new StreamContent(body.Content, PackageBody.Base64ChunkBytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        content.Headers.ContentLength = body.Length;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.Add("X-Lgsp-Delivery-Id", work.DeliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Lgsp-Kind", work.Kind == PackageKind.Document ? "edoc" : "status");
        request.Headers.Add("X-Lgsp-Document-Id", Uri.EscapeDataString(work.DocumentId));
        request.Headers.Add("X-Lgsp-Recipient", work.Recipient);
        request.Headers.Add("X-Lgsp-Sha256", work.Sha256);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new PushResult(PushOutcome.Delivered);
            }

            var error = $"HTTP {code} {response.ReasonPhrase} from {work.Endpoint}";
            return new PushResult(
                code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests ? PushOutcome.Transient : PushOutcome.Permanent,
                error, ErrorCode: DeliveryErrorCode.Http(code));
        }
        catch (HttpRequestException ex)
        {
            var refused = ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
            return new PushResult(PushOutcome.Transient, $"{work.Endpoint}: {ex.Message}", ErrorCode: refused ? DeliveryErrorCode.ConnectionRefused : DeliveryErrorCode.Network);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PushResult(PushOutcome.Transient, $"{work.Endpoint}: timed out", ErrorCode: DeliveryErrorCode.Timeout);
        }
    }
}
