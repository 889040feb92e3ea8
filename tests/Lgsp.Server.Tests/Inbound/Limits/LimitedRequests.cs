using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;

namespace Lgsp.Server.Tests.Inbound.Limits;

/// <summary>Raw SOAP calls from a given client, and the fault code of a 429.</summary>
internal static class LimitedRequests
{
    public static async Task<HttpResponseMessage> GetAgenciesAsync(HttpClient http, RunningHub hub, string user, string secret)
    {
        const string operation = EdocContract.GetAgencies;
        var envelope = SoapSamples.Envelope(SoapVersion.Soap11, $"<{operation} xmlns=\"{EdocContract.Namespace}\"/>");
        var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(SoapSamples.ContentType(SoapVersion.Soap11, EdocContract.ActionOf(operation)));
        var request = new HttpRequestMessage(HttpMethod.Post, hub.SoapUri) { Content = content };
        request.Headers.Add("SOAPAction", $"\"{EdocContract.ActionOf(operation)}\"");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The <c>Error/Code</c> of a SOAP fault answer.</summary>
    public static async Task<string?> FaultCodeAsync(HttpResponseMessage response)
    {
        var body = XDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code" && e.Parent?.Name.LocalName == "Error")?.Value;
    }

    /// <summary>The Retry-After header in seconds.</summary>
    public static int RetryAfterSeconds(HttpResponseMessage response) =>
        (int)(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? throw new Xunit.Sdk.XunitException("no Retry-After"));
}
