using System.Collections.Frozen;
using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Axis.Operations;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Observability;
using Microsoft.Extensions.Options;
using StatusCodes = Microsoft.AspNetCore.Http.StatusCodes;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>The national axis protocol's front door (VXP.md, docs/axis.md): the operations of the SDK
/// and between hubs under <see cref="AxisOptions.BasePath"/>, routed on the last path segment to their
/// <see cref="IAxisOperation"/>, GET or POST, any content type. It authenticates with
/// <see cref="AxisAuthenticator"/>, reads the body, writes the answer and turns refusals into answers;
/// the operations feed the same accept path, inbox, stores and ledger as the SOAP front door.</summary>
/// <remarks>Answers: HTTP 200 with the JSON envelope, FAIL for application errors; 401 with a FAIL
/// envelope for authentication errors; 500 with a FAIL envelope (<see cref="AxisErrors.InternalError"/>)
/// for anything unexpected; each operation may shape its refusals (<see cref="IAxisOperation.Refusal"/>).
/// Every request is counted, every refusal counted and logged. Thread safe.</remarks>
public sealed class AxisEndpoint(
    IEnumerable<IAxisOperation> operations,
    AxisAuthenticator authenticator,
    ClientSystemLimiter limiter,
    LimitRefusals limitRefusals,
    MemoryAdmission admission,
    HubMetrics metrics,
    TimeProvider clock,
    IOptions<HubOptions> options,
    ILogger<AxisEndpoint> log)
{
    /// <summary>The operation a child hub sends its latest signed checkpoint to: the body is the
    /// checkpoint XML; the answer's <c>Witness</c> is the base64 of the signed countersignature.</summary>
    public const string WitnessCheckpoint = "witnessCheckpoint";

    /// <summary>The operation a child hub asks for the countersignatures it was given
    /// (<see cref="Operations.GetCountersignaturesOperation"/>).</summary>
    public const string GetCountersignatures = "getCountersignatures";

    /// <summary>The operation a child hub reports far outcomes to its parent with
    /// (<see cref="Operations.ReportOutcomesOperation"/>, ADR 0020).</summary>
    public const string ReportOutcomes = "reportOutcomes";

    private const string Unknown = "(unknown)";

    // Any case of a name reaches its operation; no two names differ only in case, so the exact name,
    // when given, is the one found.
    private readonly FrozenDictionary<string, IAxisOperation> _operations =
        operations.ToFrozenDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Handles one request under the base path.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var requested = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var operation = _operations.GetValueOrDefault(requested);
        metrics.AxisRequest(operation?.Name ?? Unknown);
        try
        {
            if (operation is null)
            {
                throw AxisErrors.Refused(AxisErrors.UnknownOperation, "path", requested);
            }

            var caller = await authenticator.AuthenticateAsync(context.Request.Headers, context.Connection.RemoteIpAddress, ct);
            limiter.Take(caller.System.Id);
            await admission.AdmitAsync(context);
            using (Serilog.Context.LogContext.PushProperty("Operation", operation.Name))
            using (Serilog.Context.LogContext.PushProperty("System", caller.System.Id))
            {
                NoteSkew(operation.Name, caller);
                var call = new AxisCall(caller, context.Request, operation.MaxBodyBytes);
                if (!operation.ReadsBodyItself)
                {
                    await call.ReadBodyAsync(ct);
                }

                var answer = await operation.HandleAsync(call, ct);
                await answer.WriteAsync(context.Response, ct);
            }
        }
        catch (LimitedException ex)
        {
            await limitRefusals.WriteAsync(context, ex);
        }
        catch (AxisAuthException ex)
        {
            await RefuseAsync(context, operation, ex.Error, StatusCodes.Status401Unauthorized);
        }
        catch (ExchangeException ex)
        {
            await RefuseAsync(context, operation, ex.Error, StatusCodes.Status200OK);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own limit (Hub:MaxRequestBytes, what a multipart sendEdoc body meets): the
            // same refusal as the operation's.
            await RefuseAsync(context, operation, AxisBodyLimits.TooLarge(Math.Min(operation?.MaxBodyBytes ?? long.MaxValue, options.Value.MaxRequestBytes)).Error, StatusCodes.Status200OK);
        }
        catch (BadHttpRequestException ex)
        {
            // A body that ends before its Content-Length or arrives slower than the minimum data rate: the
            // caller's doing, never an internal error; answered when the caller still listens.
            await RefuseAsync(context, operation, HubErrors.Create(HubErrorCode.InvalidRequest, "body", ex.Message), ex.StatusCode);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; whatever committed stays committed.
        }
        catch (Exception ex)
        {
            log.LogError(ex, "{Operation} failed; reference {Reference}", operation?.Name ?? Unknown, context.TraceIdentifier);
            await RefuseAsync(context, operation, AxisErrors.Create(AxisErrors.InternalError, "", context.TraceIdentifier), StatusCodes.Status500InternalServerError);
        }
    }

    private void NoteSkew(string operation, AxisCaller caller)
    {
        var timestamp = caller.Get(AxisSignature.TimestampParameter);
        if (!AxisSignature.TryParseTimestamp(timestamp, out var clientTime))
        {
            metrics.AxisStaleTimestamp(operation);
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
            metrics.AxisStaleTimestamp(operation);
            log.LogInformation("Stale axis timestamp from {System}: skew {Skew} (accepted; the SDK freezes its timestamp)", caller.System.Id, skew);
        }
    }

    private async Task RefuseAsync(HttpContext context, IAxisOperation? operation, EdxmlError error, int status)
    {
        var name = operation?.Name ?? Unknown;
        metrics.Refused(name, error.Code);
        log.LogWarning("{Operation} refused: {Code} {Field} {Message}", name, error.Code, error.Field, error.Message);
        if (context.Response.HasStarted)
        {
            // A streamed package failed part way: the caller must see a broken answer, not a short one.
            context.Abort();
            return;
        }

        var answer = operation?.Refusal(error, status) ?? AxisAnswer.Fail(error, status);
        await answer.WriteAsync(context.Response, context.RequestAborted);
    }
}

/// <summary>Registers and maps the axis protocol's front door.</summary>
public static class AxisEndpointExtensions
{
    /// <summary>Registers <see cref="AxisEndpoint"/>, its authenticator, its operations and the resend
    /// window (<see cref="AxisOptions.ResendWindow"/>). Needs the hub's stores, <see cref="AgencyMandate"/>
    /// and <see cref="Accept.PackageIntake"/>.</summary>
    public static IServiceCollection AddAxis(this IServiceCollection services)
    {
        services.AddSingleton<AxisAuthenticator>();
        services.AddSingleton(sp => new ResendWindow(sp.GetRequiredService<IAxisStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<HubOptions>>().Value.Axis.ResendWindow));
        services.AddSingleton<IAxisOperation, SendEdocOperation>();
        services.AddSingleton<IAxisOperation, GetReceivedEdocListOperation>();
        services.AddSingleton<IAxisOperation, GetEdocOperation>();
        services.AddSingleton<IAxisOperation, DownloadEdocOperation>();
        services.AddSingleton<IAxisOperation, UpdateStatusOperation>();
        services.AddSingleton<IAxisOperation, GetSentEdocListOperation>();
        services.AddSingleton<IAxisOperation, CountReceiveEdocOperation>();
        services.AddSingleton<IAxisOperation, CountReceiveStatusOperation>();
        services.AddSingleton<IAxisOperation, GetAgenciesListOperation>();
        services.AddSingleton<IAxisOperation, GetAgenciesListQD20Operation>();
        services.AddSingleton<IAxisOperation, GetSynchronizeUnitOperation>();
        services.AddSingleton<IAxisOperation, RegisterAgencyOperation>();
        services.AddSingleton<IAxisOperation, DeleteAgencyOperation>();
        services.AddSingleton<IAxisOperation, WitnessCheckpointOperation>();
        services.AddSingleton<IAxisOperation, GetCountersignaturesOperation>();
        services.AddSingleton<BelowReports>();
        services.AddSingleton<IAxisOperation, ReportOutcomesOperation>();
        services.AddSingleton<AxisEndpoint>();
        return services;
    }

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
