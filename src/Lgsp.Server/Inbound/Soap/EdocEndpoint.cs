using System.Globalization;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Accept;
using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Observability;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>The SOAP service <c>/soap/edoc</c> (contract: <c>schemas/lgsp-edoc.wsdl</c>): authenticates
/// the client system (HTTP Basic, or a gateway bearer token), reads the envelope with the package bytes intact, calls the accept path or the
/// inbox, and answers in the SOAP version asked, or with a fault carrying <c>Error</c>.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class EdocEndpoint(
    ClientAuthenticator authenticator,
    BearerAuthenticator bearer,
    TokenRefusals tokenRefusals,
    ClientSystemLimiter limiter,
    LimitRefusals limitRefusals,
    MemoryAdmission admission,
    PackageIntake intake,
    InboxService inbox,
    HubMetrics metrics,
    IOptions<HubOptions> options,
    ILogger<EdocEndpoint> log)
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = "/soap/edoc";

    /// <summary>Handles one POST.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var contentType = context.Request.ContentType;
        var version = SoapVersions.ReplyVersion(contentType);
        var operation = "(unknown)";
        try
        {
            var caller = await CallerAsync(context, ct);
            limiter.Take(caller.Id);

            var limits = SoapLimits.Default with { MaxBodyBytes = options.Value.MaxRequestBytes };
            if (context.Request.ContentLength > limits.MaxBodyBytes)
            {
                throw new SoapFaultException(EdxmlError.Create(ErrorCode.TooLarge, "Body", $"The request body ({context.Request.ContentLength} bytes)", $"{limits.MaxBodyBytes} bytes"), isClientFault: true);
            }

            await admission.AdmitAsync(context);

            using var request = await SoapRequestReader.ReadAsync(context.Request.Body, contentType, context.Request.Headers["SOAPAction"], limits, ct,
                options.Value.Spool.Create);
            version = request.Version;
            operation = request.Operation;
            using (Serilog.Context.LogContext.PushProperty("Operation", operation))
            using (Serilog.Context.LogContext.PushProperty("System", caller.Id))
            {
                if (operation == EdocContract.GetDocument)
                {
                    await GetDocumentAsync(context, caller, request, version, ct);
                }
                else
                {
                    var body = await DispatchAsync(caller, request, ct);
                    await WriteAsync(context, Microsoft.AspNetCore.Http.StatusCodes.Status200OK, version, output => SoapResponseWriter.WriteResponse(output, version, operation, body));
                }
            }
        }
        catch (LimitedException ex)
        {
            await limitRefusals.WriteAsync(context, ex);
        }
        catch (TokenRefusedException ex)
        {
            await tokenRefusals.WriteAsync(context, ex);
        }
        catch (ExchangeException ex)
        {
            metrics.Refused(operation, ex.Error.Code);
            log.LogWarning("{Operation} refused: {Code} {Field} {Message}", operation, ex.Error.Code, ex.Error.Field, ex.Error.Message);
            await FaultAsync(context, version, ex.Error, ex.CallerFault);
        }
        catch (SoapFaultException ex)
        {
            metrics.Refused(operation, ex.Error.Code);
            log.LogWarning("{Operation} refused: {Code} {Field} {Message}", operation, ex.Error.Code, ex.Error.Field, ex.Error.Message);
            await FaultAsync(context, version, ex.Error, ex.IsClientFault);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == Microsoft.AspNetCore.Http.StatusCodes.Status413PayloadTooLarge)
        {
            metrics.Refused(operation, ErrorCode.TooLarge);
            var error = EdxmlError.Create(ErrorCode.TooLarge, "Body", "The request body", $"{options.Value.MaxRequestBytes} bytes");
            log.LogWarning("{Operation} refused: {Code} {Message}", operation, error.Code, error.Message);
            await FaultAsync(context, version, error, clientFault: true);
        }
        catch (BadHttpRequestException ex)
        {
            // A body that ends before its Content-Length or arrives slower than the minimum data rate: the
            // caller's doing, never an internal error. The caller may be gone; the answer is best effort.
            var error = HubErrors.Create(HubErrorCode.InvalidRequest, "Body", ex.Message);
            metrics.Refused(operation, error.Code);
            log.LogWarning("{Operation} refused: {Code} {Field} {Message}", operation, error.Code, error.Field, error.Message);
            await FaultAsync(context, version, error, clientFault: true);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; whatever committed stays committed.
        }
        catch (Exception ex)
        {
            metrics.Refused(operation, SoapErrors.InternalError);
            log.LogError(ex, "{Operation} failed; reference {Reference}", operation, context.TraceIdentifier);
            await FaultAsync(context, version, SoapErrors.Create(SoapErrors.InternalError, "", context.TraceIdentifier), clientFault: false);
        }
    }

    /// <summary>The client system by its gateway bearer token (when tokens are configured) or its HTTP
    /// Basic login.</summary>
    private async Task<ClientSystem> CallerAsync(HttpContext context, CancellationToken ct)
    {
        string? authorization = context.Request.Headers.Authorization;
        if (bearer.Enabled && BearerAuthenticator.TryParseBearer(authorization, out var token))
        {
            return await bearer.AuthenticateAsync(token, ct);
        }

        var caller = await authenticator.AuthenticateAsync(authorization, context.Connection.RemoteIpAddress, ct);
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = SoapResponseWriter.BasicChallenge;
            throw SoapErrors.Fault(SoapErrors.Unauthenticated, "Authorization");
        }

        return caller;
    }

    private async Task<Action<XmlWriter>> DispatchAsync(ClientSystem caller, SoapRequest request, CancellationToken ct)
    {
        switch (request.Operation)
        {
            case EdocContract.SendDocument:
            case EdocContract.SendStatus:
            {
                var kind = request.Operation == EdocContract.SendDocument ? PackageKind.Document : PackageKind.Status;
                var package = request.Package ?? throw ExchangeException.Of(HubErrorCode.InvalidRequest, "Package", "Package is required");
                var acceptance = await intake.AcceptAsync(caller, package, kind, arrival: null, ct);
                return w =>
                {
                    Text(w, "DocumentId", acceptance.DocumentId);
                    Text(w, "Sha256", acceptance.Sha256);
                    Text(w, "ReceivedAt", Time(acceptance.ReceivedAt));
                    Text(w, "Duplicate", acceptance.Duplicate ? "true" : "false");
                    Base64(w, "Receipt", acceptance.Receipt);
                };
            }

            case EdocContract.GetPendingDocuments:
            case EdocContract.GetPendingStatuses:
            {
                var documents = request.Operation == EdocContract.GetPendingDocuments;
                var items = await inbox.PendingAsync(caller, documents ? PackageKind.Document : PackageKind.Status,
                    Optional(request.Get("Agency")), request.GetInt32("MaxCount"), ct);
                return w =>
                {
                    foreach (var item in items)
                    {
                        w.WriteStartElement("Item", EdocContract.Namespace);
                        Text(w, "Id", Number(item.Id));
                        Text(w, "DocumentId", item.DocumentId);
                        Text(w, "From", item.From);
                        Text(w, "To", item.To);
                        if (documents)
                        {
                            OptionalText(w, "CodeNumber", item.CodeNumber);
                            OptionalText(w, "CodeNotation", item.CodeNotation);
                            OptionalText(w, "Subject", item.Subject);
                            Text(w, "ReceivedAt", Time(item.ReceivedAt));
                            Text(w, "Size", Number(item.Size));
                        }
                        else
                        {
                            Text(w, "StatusCode", item.StatusCode ?? "");
                            Text(w, "ReceivedAt", Time(item.ReceivedAt));
                        }

                        w.WriteEndElement();
                    }
                };
            }

            case EdocContract.ConfirmReceived:
            {
                await inbox.ConfirmAsync(caller, RequiredId(request), request.Get("Outcome") ?? "", Optional(request.Get("Reason")), ct);
                return w => Text(w, "Ok", "true");
            }

            case EdocContract.GetDeliveries:
            {
                var deliveries = await inbox.DeliveriesAsync(caller, request.Get("DocumentId") ?? "", ct);
                return w =>
                {
                    foreach (var d in deliveries)
                    {
                        w.WriteStartElement("Delivery", EdocContract.Namespace);
                        Text(w, "Recipient", d.Recipient);
                        Text(w, "State", d.State.ToString().ToLowerInvariant());
                        Text(w, "Attempts", Number(d.Attempts));
                        OptionalText(w, "LastError", d.LastError);
                        OptionalText(w, "DeliveredAt", d.DeliveredAt is { } at ? Time(at) : null);
                        OptionalText(w, "AcknowledgedAt", d.AcknowledgedAt is { } ack ? Time(ack) : null);
                        OptionalText(w, "LastStatusCode", d.LastStatusCode);
                        OptionalText(w, "Via", d.Via);
                        OptionalText(w, "PeerDocId", d.PeerDocId);
                        OptionalText(w, "LastErrorCode", d.LastErrorCode);
                        OptionalText(w, "NextAttemptAt", d.NextAttemptAt is { } next ? Time(next) : null);
                        w.WriteEndElement();
                    }
                };
            }

            case EdocContract.GetTrace:
            {
                var events = await inbox.TraceAsync(caller, request.Get("DocumentId") ?? "", ct);
                return w =>
                {
                    foreach (var e in events)
                    {
                        w.WriteStartElement("Event", EdocContract.Namespace);
                        Text(w, "Seq", Number(e.Seq));
                        Text(w, "At", Time(e.At));
                        Text(w, "Kind", e.Kind);
                        Text(w, "Actor", e.Actor);
                        Text(w, "Detail", e.Detail);
                        OptionalText(w, "Recipient", e.Recipient);
                        if (e.PeerReceipt is { } peerReceipt && e.PeerReceiptShownAt is null)
                        {
                            Base64(w, "PeerReceipt", peerReceipt);
                        }

                        OptionalText(w, "PreviousReceiptSha256", e.PreviousReceiptSha256);
                        OptionalText(w, "PeerReceiptSameAs", e.PeerReceiptShownAt is { } first ? Number(first) : null);
                        w.WriteEndElement();
                    }
                };
            }

            case EdocContract.GetAgencies:
            {
                var agencies = await inbox.AgenciesAsync(request.GetDateTime("ChangedSince"), ct);
                return w =>
                {
                    foreach (var a in agencies)
                    {
                        w.WriteStartElement("Agency", EdocContract.Namespace);
                        Text(w, "Code", a.Code);
                        Text(w, "Name", a.Name);
                        OptionalText(w, "ParentCode", a.ParentCode);
                        Text(w, "Tier", a.Tier);
                        Text(w, "Active", a.Active ? "true" : "false");
                        OptionalText(w, "SuccessorCode", a.SuccessorCode);
                        w.WriteEndElement();
                    }
                };
            }

            default:
                throw SoapErrors.Fault(SoapErrors.UnknownOperation, "Body", request.Operation);
        }
    }

    // GetDocument streams the package from the store into the answer (issue 14): the refusals (not
    // found, not the caller's) come before anything is written; after that the answer has started, and
    // a failure cuts it short (FaultAsync aborts the connection).
    private async Task GetDocumentAsync(HttpContext context, ClientSystem caller, SoapRequest request, SoapVersion version, CancellationToken ct)
    {
        await using var package = await inbox.OpenPackageAsync(caller, RequiredId(request), ct);
        context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status200OK;
        context.Response.ContentType = SoapResponseWriter.ContentType(version);
        await SoapResponseWriter.WriteBase64ResponseAsync(context.Response.BodyWriter, version, request.Operation, "Package", package, ct);
    }

    private static long RequiredId(SoapRequest request) =>
        request.GetInt64("Id") ?? throw ExchangeException.Of(HubErrorCode.InvalidRequest, "Id", "Id is required");

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => XmlConvert.ToString(at.UtcDateTime, XmlDateTimeSerializationMode.Utc);

    private static void Text(XmlWriter w, string name, string value) => w.WriteElementString(name, EdocContract.Namespace, value);

    private static void OptionalText(XmlWriter w, string name, string? value)
    {
        if (value is not null)
        {
            Text(w, name, value);
        }
    }

    private static void Base64(XmlWriter w, string name, byte[] value)
    {
        w.WriteStartElement(name, EdocContract.Namespace);
        w.WriteBase64(value, 0, value.Length);
        w.WriteEndElement();
    }

    private Task FaultAsync(HttpContext context, SoapVersion version, EdxmlError error, bool clientFault)
    {
        if (context.Response.HasStarted)
        {
            // A streamed answer failed part way: a fault appended to it would read as part of the answer;
            // a broken connection tells the caller the truth.
            context.Abort();
            return Task.CompletedTask;
        }

        return WriteAsync(context, SoapResponseWriter.FaultStatusCode(version, error, clientFault), version,
            output => SoapResponseWriter.WriteFault(output, version, error, clientFault));
    }

    private static async Task WriteAsync(HttpContext context, int status, SoapVersion version, Action<System.IO.Pipelines.PipeWriter> write)
    {
        // Every value is computed before this point, so a response is never left half-written.
        context.Response.StatusCode = status;
        context.Response.ContentType = SoapResponseWriter.ContentType(version);
        write(context.Response.BodyWriter);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}

/// <summary>Maps the SOAP service.</summary>
public static class EdocEndpointExtensions
{
    /// <summary>Maps <c>POST /soap/edoc</c> and <c>GET /soap/edoc?wsdl</c> (and <c>?xsd=</c>).</summary>
    public static IEndpointRouteBuilder MapEdoc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(EdocEndpoint.Path, (HttpContext context, EdocEndpoint endpoint) => endpoint.HandleAsync(context));
        endpoints.MapGet(EdocEndpoint.Path, (HttpContext context) =>
        {
            var address = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{EdocEndpoint.Path}";
            if (context.Request.Query.ContainsKey("wsdl"))
            {
                return Results.Text(WsdlDocument.Default.Render(new Uri(address)), "text/xml; charset=utf-8");
            }

            return context.Request.Query["xsd"].ToString() is { Length: > 0 } name && WsdlDocument.Default.TryGetSchema(name, out var xsd)
                ? Results.Text(xsd, "text/xml; charset=utf-8")
                : Results.NotFound();
        });
        return endpoints;
    }
}
