using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Hosting;
using Lgsp.Server.Observability;
using Microsoft.Extensions.Options;
using StatusCodes = Microsoft.AspNetCore.Http.StatusCodes;

namespace Lgsp.Server.Axis;

/// <summary>The national axis protocol's front door (VXP.md, docs/axis.md): the 13 operations of the
/// SDK under <see cref="AxisOptions.BasePath"/>, routed on the last path segment, GET or POST, any
/// content type. It authenticates with <see cref="AxisAuthenticator"/> and feeds the same accept path,
/// inbox, stores and ledger as the SOAP front door.</summary>
/// <remarks>Answers: HTTP 200 with the JSON envelope, FAIL for application errors; 401 with a FAIL
/// envelope for authentication errors; <c>downloadEdoc</c> errors have an empty body (the SDK saves any
/// body as the document). Thread safe.</remarks>
public sealed class AxisEndpoint(
    AxisAuthenticator authenticator,
    AcceptService accept,
    InboxService inbox,
    IPackageStore packages,
    IAxisStore axis,
    CheckpointWitness witness,
    HubIdentity hub,
    HubMetrics metrics,
    TimeProvider clock,
    IOptions<HubOptions> options,
    ILogger<AxisEndpoint> log)
{
    /// <summary>The operations, as the SDK spells them.</summary>
    public static readonly IReadOnlyList<string> Operations =
    [
        "sendEdoc", "getReceivedEdocList", "getEdoc", "downloadEdoc", "updateStatus", "getSentEdocList", "countReceiveEdoc",
        "countReceiveStatus", "getAgenciesList", "getAgenciesListQD20", "getSynchronizeUnit", "registerAgency", "deleteAgency",
    ];

    /// <summary>Operations between hubs, beyond the SDK's (docs/axis.md): <c>witnessCheckpoint</c>, a
    /// child hub's checkpoint to countersign (docs/audit.md, "what witnessing adds").</summary>
    public static readonly IReadOnlyList<string> HubOperations = [WitnessCheckpoint];

    /// <summary>The operation a child hub sends its latest signed checkpoint to: the body is the
    /// checkpoint XML; the answer's <c>Witness</c> is the base64 of the signed countersignature.</summary>
    public const string WitnessCheckpoint = "witnessCheckpoint";

    private const string SendEdoc = "sendEdoc";
    private const string DownloadEdoc = "downloadEdoc";
    private const string ServiceType = "eDoc";

    /// <summary>Handles one request under the base path.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var requested = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var known = Operations.Concat(HubOperations);
        var operation = known.FirstOrDefault(o => o == requested) ?? known.FirstOrDefault(o => o.Equals(requested, StringComparison.OrdinalIgnoreCase));
        var label = operation ?? "(unknown)";
        metrics.AxisRequest(label);
        try
        {
            if (operation is null)
            {
                throw AxisErrors.Refused(AxisErrors.UnknownOperation, "path", requested);
            }

            var caller = await authenticator.AuthenticateAsync(context.Request.Headers, ct);
            using (Serilog.Context.LogContext.PushProperty("Operation", operation))
            using (Serilog.Context.LogContext.PushProperty("System", caller.System.Id))
            {
                NoteSkew(caller);
                await DispatchAsync(context, operation, caller, ct);
            }
        }
        catch (AxisAuthException ex)
        {
            await RefuseAsync(context, label, ex.Error, StatusCodes.Status401Unauthorized);
        }
        catch (ExchangeException ex)
        {
            await RefuseAsync(context, label, ex.Error, StatusCodes.Status200OK);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseAsync(context, label, EdxmlError.Create(ErrorCode.TooLarge, "body", "The request body", $"{options.Value.MaxRequestBytes} bytes"), StatusCodes.Status200OK);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; whatever committed stays committed.
        }
        catch (Exception ex)
        {
            log.LogError(ex, "{Operation} failed; reference {Reference}", label, context.TraceIdentifier);
            await RefuseAsync(context, label, AxisErrors.Create(AxisErrors.InternalError, "", context.TraceIdentifier), StatusCodes.Status500InternalServerError);
        }
    }

    private async Task DispatchAsync(HttpContext context, string operation, AxisCaller caller, CancellationToken ct)
    {
        // Reading the body is what makes Kestrel answer the SDK's "Expect: 100-continue" (its HttpClient
        // otherwise waits 3 s per call); the {} bodies carry nothing.
        var body = operation == SendEdoc ? [] : await ReadBodyAsync(context, ct);
        switch (operation)
        {
            case SendEdoc:
                await SendEdocAsync(context, caller, ct);
                break;

            case "getReceivedEdocList":
            {
                var kind = MessageKind(caller);
                var items = await inbox.PendingAsync(caller.System, kind, null, InboxService.MaxMaxCount, ct);
                await OkAsync(context, w => WriteArray(w, items, (w, item) =>
                {
                    w.WriteString("docId", Number(item.Id));
                    w.WriteString("serviceType", ServiceType);
                    w.WriteString("messageType", MessageWord(kind));
                    w.WriteString("created_time", AxisResponse.Time(item.ReceivedAt));
                    w.WriteString("updated_time", AxisResponse.Time(item.UpdatedAt == default ? item.ReceivedAt : item.UpdatedAt));
                    w.WriteString("from", item.From);
                    w.WriteString("to", item.To);
                    var (status, description) = ReceivedStatus(item.State);
                    w.WriteString("status", status);
                    w.WriteString("status_desc", description);
                }));
                break;
            }

            case "getEdoc":
            {
                var delivery = await OwnDeliveryAsync(caller, ct);
                var package = await inbox.GetPackageAsync(caller.System, delivery.Id, ct);
                var receipt = await axis.ReceiptOfAsync(delivery.PackageId, ct);
                await OkAsync(context, w =>
                {
                    w.WriteBase64String("data", package);
                    w.WriteBase64String("Receipt", receipt);
                    w.WriteString("Hops", string.Join(',', [.. delivery.Hops, hub.Id]));
                });
                break;
            }

            case DownloadEdoc:
            {
                var delivery = await OwnDeliveryAsync(caller, ct);
                var package = await inbox.GetPackageAsync(caller.System, delivery.Id, ct);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/xml";
                context.Response.ContentLength = package.Length;
                await context.Response.Body.WriteAsync(package, ct);
                break;
            }

            case "updateStatus":
            {
                var status = caller.Get("status");
                var delivery = await OwnDeliveryAsync(caller, ct);
                switch (status)
                {
                    case "done":
                        await inbox.ConfirmAsync(caller.System, delivery.Id, "done", null, ct);
                        break;
                    case "fail":
                        // A hub that refused a package it pulled says why (signed parameter reason).
                        var reason = caller.Get("reason") is { Length: > 0 } why ? $"fail reported by {caller.System.Id}: {why}" : $"fail reported by {caller.System.Id}";
                        await inbox.ConfirmAsync(caller.System, delivery.Id, "fail", reason, ct);
                        break;
                    case "processing":
                        await axis.RecordProcessingAsync(delivery.Id, caller.System.Id, Timestamps.Truncate(clock.GetUtcNow()), ct);
                        break;
                    default:
                        throw AxisErrors.Refused(AxisErrors.InvalidValue, "status", status ?? "", "done, fail or processing");
                }

                await OkAsync(context);
                break;
            }

            case "getSentEdocList":
            {
                var kind = MessageKind(caller);
                var docId = caller.Get("docId");
                long? packageId = null;
                if (!string.IsNullOrEmpty(docId))
                {
                    // An id that cannot be ours matches nothing.
                    packageId = long.TryParse(docId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1;
                }

                var items = await axis.SentAsync([.. caller.System.Agencies], kind, packageId, InboxService.MaxMaxCount, ct);
                await OkAsync(context, w => WriteArray(w, items, (w, item) =>
                {
                    w.WriteString("serviceType", ServiceType);
                    w.WriteString("messageType", MessageWord(kind));
                    w.WriteString("senderDocId", Number(item.PackageId));
                    w.WriteString("receiverDocId", Number(item.DeliveryId));
                    w.WriteString("fromCode", item.From);
                    w.WriteString("toCode", item.To);
                    w.OptionalString("title", item.Subject);
                    w.OptionalString("notation", item.CodeNotation);
                    w.OptionalString("statusCode", item.StatusCode);
                    w.WriteString("sentTime", AxisResponse.Time(item.SentAt));
                    w.OptionalString("receivedTime", item.DeliveredAt is { } at ? AxisResponse.Time(at) : null);
                    w.WriteString("sendStatus", "done");
                    w.WriteString("sendStatusDesc", "Accepted by the hub");
                    var (status, description) = ReceiveStatus(item.State);
                    w.WriteString("receiveStatus", status);
                    w.WriteString("receiveStatusDesc", item.LastError is { } error && item.State == DeliveryState.Failed ? description + ": " + error : description);
                }));
                break;
            }

            case "countReceiveEdoc":
            case "countReceiveStatus":
            {
                var kind = operation == "countReceiveEdoc" ? PackageKind.Document : PackageKind.Status;
                var count = await axis.CountPendingAsync([.. caller.System.Agencies], kind, ct);
                await OkAsync(context, w => w.WriteNumber("count", count));
                break;
            }

            case "getAgenciesList":
            {
                var agencies = (await axis.ListAgenciesAsync(ct)).Where(a => !a.Deleted && a.Active).ToList();
                await OkAsync(context, w => WriteArray(w, agencies, (w, a) =>
                {
                    WriteAgency(w, a);
                    w.OptionalString("oldCode", a.OldCode);
                }));
                break;
            }

            case "getAgenciesListQD20":
            {
                var tiers = AxisDirectory.TiersOfLevel(caller.Get("level"));
                var agencies = (await axis.ListAgenciesAsync(ct)).Where(a => !a.Deleted && a.Active && (tiers is null || tiers.Contains(a.Tier))).ToList();
                await OkAsync(context, w => WriteArray(w, agencies, (w, a) =>
                {
                    WriteAgency(w, a);
                    w.WriteString("code102", a.Code);
                }));
                break;
            }

            case "getSynchronizeUnit":
            {
                var agencies = await axis.ListAgenciesAsync(ct);
                await OkAsync(context, w => WriteArray(w, agencies, (w, a) =>
                {
                    WriteAgency(w, a);
                    w.WriteString("centerCode", a.ServedBy ?? hub.Id);
                    w.WriteNumber("version", a.Version);
                    w.WriteBoolean("deleted", a.Deleted);
                    w.WriteString("modifyDate", AxisResponse.Time(a.ChangedAt));
                    w.WriteBoolean("isAgency", true);
                }));
                break;
            }

            case "registerAgency":
            {
                var request = AxisDirectory.ParseRegistration(body);
                var result = await axis.RegisterAgencyAsync(caller.System.Id, request.Code, request.Name, request.ParentCode, request.Mail, ct);
                authenticator.Forget(caller.System.Id);
                ThrowUnlessDone(result, caller, request.Code, "code", request.ParentCode);
                log.LogInformation("Agency {Code} registered by {System}", request.Code, caller.System.Id);
                await OkAsync(context);
                break;
            }

            case "deleteAgency":
            {
                var code = caller.Get("AgencyCode") is { Length: > 0 } given
                    ? given.Trim()
                    : throw ExchangeException.Of(HubErrorCode.InvalidRequest, "AgencyCode", "AgencyCode is required");
                var result = await axis.DeleteAgencyAsync(caller.System.Id, code, ct);
                authenticator.Forget(caller.System.Id);
                ThrowUnlessDone(result, caller, code, "AgencyCode", null);
                log.LogInformation("Agency {Code} deleted by {System}", code, caller.System.Id);
                await OkAsync(context);
                break;
            }

            case WitnessCheckpoint:
            {
                var countersignature = await witness.WitnessAsync(caller.System, body, ct);
                log.LogInformation("Witnessed a checkpoint of hub {Hub}", caller.System.Hub);
                await OkAsync(context, w => w.WriteBase64String("Witness", countersignature));
                break;
            }
        }
    }

    private async Task SendEdocAsync(HttpContext context, AxisCaller caller, CancellationToken ct)
    {
        var kind = caller.Get("messagetype") switch
        {
            "edoc" => PackageKind.Document,
            "status" => PackageKind.Status,
            var other => throw AxisErrors.Refused(AxisErrors.InvalidValue, "messagetype", other ?? "", "edoc or status"),
        };
        var hashFile = caller.Get("hash-file") is { Length: > 0 } h
            ? h
            : throw ExchangeException.Of(HubErrorCode.InvalidRequest, "hash-file", "hash-file is required");
        var from = caller.Get("from");
        // A hub caller sends for the agencies routed through it; the accept path checks the package's From.
        if (!string.IsNullOrEmpty(from) && caller.System.Hub is null && !caller.System.ActsFor(from))
        {
            throw ExchangeException.Of(HubErrorCode.Forbidden, "from", caller.System.Id, from);
        }

        var arrival = new Arrival(AxisParameters.Recipients(caller.Get("to")), AxisParameters.Hops(caller.Get("lgsp-hops")), AxisParameters.PreviousReceipt(caller.Get("lgsp-prev-receipt")));

        var body = await ReadSentFileAsync(context, ct);
        var file = AxisParameters.MatchHashFile(body, hashFile)
            ?? throw AxisErrors.Refused(AxisErrors.HashFileMismatch, "hash-file", hashFile);

        var now = clock.GetUtcNow();
        if (await axis.FindResendAsync(caller.System.Id, caller.Hash, now - options.Value.Axis.ResendWindow, ct) is { } resend)
        {
            log.LogInformation("sendEdoc resend answered with package {PackageId}", resend.PackageId);
            metrics.Accepted(KindLabel(kind), duplicate: true, TimeSpan.Zero);
            await OkAsync(context, w => SendAnswer(w, resend.PackageId, resend.Receipt));
            return;
        }

        var watch = Stopwatch.StartNew();
        var acceptance = await accept.AcceptAsync(caller.System, file, kind, arrival, ct);

        // After the package's commit: a crash before this row leaves the resend to the package store's own
        // de-duplication, which answers with the same package.
        await axis.RecordSendAsync(caller.System.Id, caller.Hash, acceptance.PackageId, acceptance.ReceivedAt, ct);
        metrics.Accepted(KindLabel(kind), acceptance.Duplicate, watch.Elapsed);
        log.LogInformation("Accepted {Kind} {DocumentId} sha256 {Sha256} ({Size} bytes) as package {PackageId}, duplicate {Duplicate}",
            kind, acceptance.DocumentId, acceptance.Sha256, file.Length, acceptance.PackageId, acceptance.Duplicate);
        await OkAsync(context, w => SendAnswer(w, acceptance.PackageId, acceptance.Receipt));
    }

    private static void SendAnswer(Utf8JsonWriter w, long packageId, byte[] receipt)
    {
        w.WriteString("DocId", Number(packageId));
        w.WriteBase64String("Receipt", receipt);
    }

    /// <summary>The SDK's raw body, or the single file part of a multipart/form-data body (other clients).</summary>
    private static async Task<byte[]> ReadSentFileAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.HasFormContentType && context.Request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var form = await context.Request.ReadFormAsync(ct);
            if (form.Files.Count != 1)
            {
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "body", $"a multipart body must hold exactly one file part, not {form.Files.Count}");
            }

            using var part = new MemoryStream();
            await form.Files[0].CopyToAsync(part, ct);
            return part.ToArray();
        }

        return await ReadBodyAsync(context, ct);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, CancellationToken ct)
    {
        using var buffer = context.Request.ContentLength is { } length and < int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private async Task<DeliveryRecord> OwnDeliveryAsync(AxisCaller caller, CancellationToken ct)
    {
        var docId = caller.Get("docId");
        if (string.IsNullOrWhiteSpace(docId))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "docId", "docId is required");
        }

        var delivery = long.TryParse(docId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await packages.FindDeliveryAsync(id, ct)
            : null;
        if (delivery is null)
        {
            throw ExchangeException.Of(HubErrorCode.NotFound, "docId", "docId", docId);
        }

        return delivery.IsFor(caller.System)
            ? delivery
            : throw ExchangeException.Of(HubErrorCode.Forbidden, "docId", caller.System.Id, delivery.Recipient);
    }

    private static void ThrowUnlessDone(AgencyChange result, AxisCaller caller, string code, string field, string? parentCode)
    {
        switch (result)
        {
            case AgencyChange.NotFound:
                throw ExchangeException.Of(HubErrorCode.NotFound, field, field, code);
            case AgencyChange.NotOwner:
                throw ExchangeException.Of(HubErrorCode.Forbidden, field, caller.System.Id, code);
            case AgencyChange.ParentNotFound:
                throw ExchangeException.Of(HubErrorCode.NotFound, "pcode", "pcode", parentCode);
        }
    }

    private static PackageKind MessageKind(AxisCaller caller) => caller.Get("messagetype") switch
    {
        null or "" or "edoc" => PackageKind.Document,
        "status" => PackageKind.Status,
        var other => throw AxisErrors.Refused(AxisErrors.InvalidValue, "messagetype", other, "edoc or status"),
    };

    private static string MessageWord(PackageKind kind) => kind == PackageKind.Document ? "edoc" : "status";

    // The metric labels the SOAP front door uses.
    private static string KindLabel(PackageKind kind) => kind == PackageKind.Document ? "document" : "status";

    private static (string Status, string Description) ReceivedStatus(DeliveryState state) => state == DeliveryState.Delivered
        ? ("received", "Fetched by the receiver, not yet confirmed")
        : ("initial", "Waiting for receiver");

    private static (string Status, string Description) ReceiveStatus(DeliveryState state) => state switch
    {
        DeliveryState.Pending => ("initial", "Waiting for receiver"),
        DeliveryState.Retrying => ("retrying", "Delivery is being retried"),
        DeliveryState.Delivered => ("received", "Fetched by the receiver, not yet confirmed"),
        DeliveryState.Acknowledged => ("done", "Confirmed by the receiver"),
        _ => ("fail", "Delivery failed"),
    };

    private static void WriteAgency(Utf8JsonWriter w, AxisAgency a)
    {
        w.WriteString("id", Number(a.Id));
        w.WriteString("pid", a.ParentId is { } parent ? Number(parent) : "");
        w.WriteString("code", a.Code);
        w.WriteString("name", a.Name);
        w.WriteString("mail", a.Mail ?? "");
    }

    private static void WriteArray<T>(Utf8JsonWriter w, IEnumerable<T> items, Action<Utf8JsonWriter, T> item)
    {
        w.WriteStartArray("data");
        foreach (var i in items)
        {
            w.WriteStartObject();
            item(w, i);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private void NoteSkew(AxisCaller caller)
    {
        var timestamp = caller.Get(AxisSignature.TimestampParameter);
        if (!AxisSignature.TryParseTimestamp(timestamp, out var clientTime))
        {
            metrics.AxisStaleTimestamp(caller.System.Id);
            log.LogInformation("Unreadable axis timestamp from {System}", caller.System.Id);
            return;
        }

        // The client's time zone is unknown: the skew is the smallest over the zones a client plausibly
        // uses (UTC, Vietnam, the hub's own).
        var now = clock.GetUtcNow();
        var skew = new[] { TimeSpan.Zero, TimeSpan.FromHours(7), TimeZoneInfo.Local.GetUtcOffset(now) }
            .Select(offset => new DateTimeOffset(DateTime.SpecifyKind(clientTime, DateTimeKind.Unspecified), offset) - now)
            .MinBy(d => d.Duration());
        if (skew.Duration() > options.Value.Axis.StaleAfter)
        {
            metrics.AxisStaleTimestamp(caller.System.Id);
            log.LogInformation("Stale axis timestamp from {System}: skew {Skew} (accepted; the SDK freezes its timestamp)", caller.System.Id, skew);
        }
    }

    private static async Task OkAsync(HttpContext context, Action<Utf8JsonWriter>? body = null) =>
        await WriteAsync(context, StatusCodes.Status200OK, AxisResponse.Ok(body));

    private async Task RefuseAsync(HttpContext context, string operation, EdxmlError error, int status)
    {
        metrics.Refused(operation, error.Code);
        log.LogWarning("{Operation} refused: {Code} {Field} {Message}", operation, error.Code, error.Field, error.Message);
        if (context.Response.HasStarted)
        {
            return;
        }

        if (operation == DownloadEdoc)
        {
            // The SDK saves any body as the document (quirk Q9): errors are empty.
            context.Response.StatusCode = status == StatusCodes.Status200OK ? StatusCodes.Status404NotFound : status;
            context.Response.ContentLength = 0;
            return;
        }

        await WriteAsync(context, status, AxisResponse.Fail(error, withDocId: operation == SendEdoc));
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = AxisResponse.ContentType;
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }
}

/// <summary>Maps the axis protocol's front door.</summary>
public static class AxisEndpointExtensions
{
    /// <summary>Serves every request whose path starts with <see cref="AxisOptions.BasePath"/> (any
    /// method, doubled slashes tolerated) with <see cref="AxisEndpoint"/>.</summary>
    public static WebApplication UseAxis(this WebApplication app)
    {
        var basePath = new PathString("/" + app.Services.GetRequiredService<IOptions<HubOptions>>().Value.Axis.BasePath.Trim('/'));
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(basePath, StringComparison.OrdinalIgnoreCase)
                && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsPost(context.Request.Method)))
            {
                await context.RequestServices.GetRequiredService<AxisEndpoint>().HandleAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }
}
