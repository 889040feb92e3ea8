using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lgsp.Server.Tests.Inbound.Axis;
using Lgsp.Server.Tests.Inbound.Axis.Sdk;

namespace Lgsp.Server.Tests.Inbound.Matrix;

/// <summary>One real request per endpoint and caller, and what came of it: <c>yes</c> (served),
/// <c>login</c> (sent to the console's sign-in), the refusal's error code, or else the HTTP status.</summary>
internal sealed class MatrixProbes(MatrixHub matrix)
{
    /// <summary>The probe of each row, by the row's endpoint name.</summary>
    public IReadOnlyDictionary<string, Func<MatrixCaller, Task<string>>> All => new Dictionary<string, Func<MatrixCaller, Task<string>>>(StringComparer.Ordinal)
    {
        ["SOAP SendDocument"] = c => Soap(c, "SendDocument", $"<Package>{Convert.ToBase64String(matrix.NewDocument(c.Target.Agency))}</Package>"),
        ["SOAP SendStatus"] = c => Soap(c, "SendStatus", $"<Package>{Convert.ToBase64String(matrix.NewStatus(c.Target.Agency))}</Package>"),
        ["SOAP GetPendingDocuments"] = c => Soap(c, "GetPendingDocuments", $"<Agency>{c.Target.Agency}</Agency>"),
        ["SOAP GetPendingStatuses"] = c => Soap(c, "GetPendingStatuses", $"<Agency>{c.Target.Agency}</Agency>"),
        ["SOAP GetDocument"] = async c => await Soap(c, "GetDocument", $"<Id>{await c.Target.ReceivedDeliveryAsync()}</Id>"),
        ["SOAP ConfirmReceived"] = async c => await Soap(c, "ConfirmReceived", $"<Id>{await c.Target.ReceivedDeliveryAsync()}</Id><Outcome>done</Outcome>"),
        ["SOAP GetDeliveries"] = c => Soap(c, "GetDeliveries", $"<DocumentId>{c.Target.SentDocumentId}</DocumentId>"),
        ["SOAP GetTrace"] = c => Soap(c, "GetTrace", $"<DocumentId>{c.Target.SentDocumentId}</DocumentId>"),
        ["SOAP GetAgencies"] = c => Soap(c, "GetAgencies", ""),
        ["GET /soap/edoc"] = c => Http(c, HttpMethod.Get, "/soap/edoc?wsdl"),

        ["axis sendEdoc"] = c => Axis(c, (sdk, _) => sdk.SendEdocAsync(AxisHub.Send(c.Target.Agency), matrix.NewDocument(c.Target.Agency)), "sendEdoc"),
        ["axis getReceivedEdocList"] = c => Axis(c, (sdk, _) => sdk.GetReceivedEdocListAsync(AxisHub.EdocList), "getReceivedEdocList"),
        ["axis getEdoc"] = c => Axis(c, async (sdk, id) => await sdk.GetEdocAsync($$"""{"filePath":"xml","docId":"{{await id()}}"}"""), "getEdoc"),
        ["axis downloadEdoc"] = c => Download(c),
        ["axis updateStatus"] = c => Axis(c, async (sdk, id) => await sdk.UpdateStatusAsync($$"""{"status":"done","docId":"{{await id()}}"}"""), "updateStatus"),
        ["axis getSentEdocList"] = c => Axis(c, (sdk, _) => sdk.GetSentEdocListAsync(AxisHub.EdocList), "getSentEdocList"),
        ["axis countReceiveEdoc"] = c => Axis(c, (sdk, _) => sdk.CountReceiveEdocAsync(AxisHub.EdocList), "countReceiveEdoc"),
        ["axis countReceiveStatus"] = c => Axis(c, (sdk, _) => sdk.CountReceiveStatusAsync(AxisHub.StatusList), "countReceiveStatus"),
        ["axis getAgenciesList"] = c => Axis(c, (sdk, _) => sdk.GetAgenciesListAsync(), "getAgenciesList"),
        ["axis getAgenciesListQD20"] = c => Axis(c, (sdk, _) => sdk.GetAgenciesListQD20Async("{}"), "getAgenciesListQD20"),
        ["axis getSynchronizeUnit"] = c => Axis(c, (sdk, _) => sdk.GetSynchronizeUnitAsync(), "getSynchronizeUnit"),
        ["axis registerAgency"] = c => Axis(c, (sdk, _) => sdk.RegisterAgencyAsync("{}",
            $$"""{"code":"{{NewCode(c.Target.Agency)}}","name":"Thôn Đông","pcode":"{{c.Target.Agency}}"}"""), "registerAgency"),
        ["axis deleteAgency"] = c => Axis(c, (sdk, _) => sdk.DeleteAgencyAsync($$"""{"AgencyCode":"{{c.Target.RegisteredCode}}"}"""), "deleteAgency"),
        ["axis witnessCheckpoint"] = c => Axis(c, (sdk, _) => sdk.CallAsync(HttpMethod.Post, "witnessCheckpoint", "{}", Encoding.UTF8.GetBytes("<Checkpoint/>"), "application/xml"),
            "witnessCheckpoint"),
        ["axis reportOutcomes"] = c => Axis(c, (sdk, _) => sdk.CallAsync(HttpMethod.Post, "reportOutcomes",
            $$"""{"lgsp-body-sha256":"{{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(EmptyReport))}}"}""", EmptyReport), "reportOutcomes"),
        ["axis getCountersignatures"] = c => Axis(c, (sdk, _) => sdk.CallAsync(HttpMethod.Post, "getCountersignatures", "{}", [], "application/json"),
            "getCountersignatures"),

        ["GET /admin/api/deliveries"] = c => Http(c, HttpMethod.Get, "/admin/api/deliveries"),
        ["POST /admin/api/deliveries/{id:long}/replay"] = async c => await Http(c, HttpMethod.Post, $"/admin/api/deliveries/{await c.Target.ReceivedDeliveryAsync()}/replay", """{"reason":"authorisation matrix"}"""),
        ["POST /admin/api/deliveries/replay"] = c => Http(c, HttpMethod.Post, "/admin/api/deliveries/replay", """{"reason":"authorisation matrix","dryRun":true}"""),
        ["GET /admin/api/documents/{documentId}/trace"] = c => Http(c, HttpMethod.Get, $"/admin/api/documents/{c.Target.SentDocumentId}/trace"),
        ["GET /admin/api/reports"] = c => Http(c, HttpMethod.Get, "/admin/api/reports?from=2026-01-01&to=2026-01-31"),
        ["ANY /hangfire"] = c => Http(c, HttpMethod.Get, "/hangfire"),
        ["ANY /metrics"] = c => Http(c, HttpMethod.Get, "/metrics"),
        ["ANY /health/live"] = c => Http(c, HttpMethod.Get, "/health/live"),
        ["ANY /health/ready"] = c => Http(c, HttpMethod.Get, "/health/ready"),

        ["GET /console/{asset}"] = c => Http(c, HttpMethod.Get, "/console/css/console.css"),
        ["page /console"] = c => Http(c, HttpMethod.Get, "/console/"),
        ["page /console/login"] = c => Http(c, HttpMethod.Get, "/console/login"),
        ["page /console/logout"] = c => Http(c, HttpMethod.Get, "/console/logout"),
        ["page /console/denied"] = c => Http(c, HttpMethod.Get, "/console/denied"),
        ["page /console/language"] = c => Http(c, HttpMethod.Get, "/console/language"),
        ["page /console/documents"] = c => Http(c, HttpMethod.Get, "/console/documents"),
        ["page /console/documents/{**documentId}"] = c => Http(c, HttpMethod.Get, "/console/documents/" + c.Target.SentDocumentId),
        ["page /console/deliveries"] = c => Http(c, HttpMethod.Get, "/console/deliveries"),
        ["page /console/agencies"] = c => Http(c, HttpMethod.Get, "/console/agencies"),
        ["page /console/systems"] = c => Http(c, HttpMethod.Get, "/console/systems"),
        ["page /console/trust"] = c => Http(c, HttpMethod.Get, "/console/trust"),
        ["page /console/hubs"] = c => Http(c, HttpMethod.Get, "/console/hubs"),
        ["page /console/audit"] = c => Http(c, HttpMethod.Get, "/console/audit"),
        ["page /console/reports"] = c => Http(c, HttpMethod.Get, "/console/reports"),
        ["page /console/reports/documents"] = c => Http(c, HttpMethod.Get, "/console/reports/documents?figure=notReceived"),
        ["page /console/users"] = c => Http(c, HttpMethod.Get, "/console/users"),
        ["page /console/sso/signin"] = c => Http(c, HttpMethod.Get, "/console/sso/signin"),
        ["page /console/sso/done"] = c => Http(c, HttpMethod.Get, "/console/sso/done"),
        ["page /console/sso/refused"] = c => Http(c, HttpMethod.Get, "/console/sso/refused"),
    };

    private static int s_codes;

    // An outcome report with no outcome: the probe asks who may report, and changes nothing.
    private static readonly byte[] EmptyReport = Encoding.UTF8.GetBytes("""{"outcomes":[]}""");

    // A fresh code below the target agency's (registration asks for one the directory does not hold).
    private static string NewCode(string parent) => $"{parent[..4]}{80 + Interlocked.Increment(ref s_codes) % 20:00}{parent[6..]}";

    private async Task<string> Soap(MatrixCaller caller, string operation, string inner)
    {
        var (status, body, _) = await matrix.Hub.PostAsync(operation, inner, caller.User, caller.Secret);
        if (status == 200)
        {
            return "yes";
        }

        var code = body.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code" && e.Parent?.Name.LocalName == "Error")?.Value;
        return code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> Axis(MatrixCaller caller, Func<VxpClient, Func<Task<long>>, Task<VxpResult>> call, string operation)
    {
        if (caller.User is null)
        {
            return await Unsigned(operation);
        }

        using var sdk = new VxpClient(matrix.Hub.AxisUri.ToString(), caller.User, caller.Secret!);
        var result = await call(sdk, caller.Target.ReceivedDeliveryAsync);
        return result.Status == "OK" ? "yes" : result.ErrorCode ?? result.HttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> Download(MatrixCaller caller)
    {
        if (caller.User is null)
        {
            return await Unsigned("downloadEdoc");
        }

        using var sdk = new VxpClient(matrix.Hub.AxisUri.ToString(), caller.User, caller.Secret!);
        var download = await sdk.DownloadEdocAsync($$"""{"filePath":"xml","docId":"{{await caller.Target.ReceivedDeliveryAsync()}}"}""");
        if (download.HttpStatus == 200 && download.File.Length > 0)
        {
            return "yes";
        }

        // A refusal is the FAIL envelope (its code), or an empty answer (its status).
        var text = Encoding.UTF8.GetString(download.File);
        return text.StartsWith('{') && JsonDocument.Parse(text).RootElement.TryGetProperty("ErrorCode", out var code)
            ? code.GetString()!
            : download.HttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    // A request without any XroadVnpt header.
    private async Task<string> Unsigned(string operation)
    {
        using var response = await matrix.Hub.Http.PostAsync("/vxp/" + operation, new StringContent("{}", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return text.StartsWith('{') && JsonDocument.Parse(text).RootElement.TryGetProperty("ErrorCode", out var code)
            ? code.GetString()!
            : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> Http(MatrixCaller caller, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        if (caller.User is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{caller.User}:{caller.Secret}")));
        }

        using var response = await NoRedirects.SendAsync(request);
        if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther
            && response.Headers.Location?.OriginalString.Contains("/console/login", StringComparison.Ordinal) == true)
        {
            return "login";
        }

        return (int)response.StatusCode is >= 200 and < 300 ? "yes" : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private HttpClient NoRedirects => _noRedirects ??= new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = matrix.Hub.BaseUri };

    private HttpClient? _noRedirects;
}
