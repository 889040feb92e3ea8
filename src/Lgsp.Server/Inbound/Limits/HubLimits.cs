using System.Net;
using System.Threading.RateLimiting;
using Lgsp.Server.Inbound.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Limits;

/// <summary>Registers and applies the hub's limits (<see cref="LimitsOptions"/>): ASP.NET Core's rate
/// limiter in front of the doors, per remote address and for large bodies at once; the per-system limit
/// the doors take after authentication (<see cref="ClientSystemLimiter"/>); the failed-login throttle
/// (<see cref="LoginThrottle"/>); the memory budget the doors admit large requests into
/// (<see cref="MemoryAdmission"/>).</summary>
public static class HubLimits
{
    private const string SendOperations = "SendDocument|SendStatus";

    /// <summary>Registers the limits; <paramref name="limits"/> is validated here, so a wrong setting
    /// stops the start.</summary>
    public static IServiceCollection AddHubLimits(this IServiceCollection services, LimitsOptions limits, long maxRequestBytes)
    {
        limits.Validate(maxRequestBytes);
        services.AddSingleton(limits);
        services.AddSingleton<LimitRefusals>();
        services.AddSingleton(sp => new MemoryBudget(limits.MemoryBudget, sp.GetRequiredService<Observability.HubMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MemoryAdmission>();
        services.AddSingleton(sp => new ClientSystemLimiter(limits.PerSystem));
        services.AddSingleton(sp => new LoginThrottle(limits.Login, sp.GetRequiredService<TimeProvider>()));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(PerAddress(limits.PerAddress, limits.Monitoring), LargeBodies(limits.LargeBodies));
            o.OnRejected = (rejected, _) =>
            {
                // The address limiter is a fixed window and says when it opens again; the concurrency
                // limiter says nothing: a place frees when any large request ends, so one second.
                var window = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                var context = rejected.HttpContext;
                var limit = !window ? "large-body" : IsMonitoring(context) ? "monitoring" : "address";
                var limited = new LimitedException(LimitErrors.RateLimited, limit, window ? retryAfter : TimeSpan.FromSeconds(1));
                return new ValueTask(context.RequestServices.GetRequiredService<LimitRefusals>().WriteAsync(context, limited));
            };
        });
        return services;
    }

    /// <summary>Puts the rate limiter in front of everything else (the admin gate included).</summary>
    public static WebApplication UseHubLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static PartitionedRateLimiter<HttpContext> PerAddress(WindowLimit limit, WindowLimit monitoring) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.RequestServices.GetRequiredService<LimitRefusals>().DoorOf(context) is not null
                ? Window(AddressOf(context), limit)
                : IsMonitoring(context)
                    ? Window("monitoring " + AddressOf(context), monitoring)
                    : RateLimitPartition.GetNoLimiter(""));

    private static RateLimitPartition<string> Window(string key, WindowLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.Permits,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static bool IsMonitoring(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    private static PartitionedRateLimiter<HttpContext> LargeBodies(BodyLimit limit) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsLarge(context, limit.Bytes)
                ? RateLimitPartition.GetConcurrencyLimiter("large", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limit.Concurrency,
                    QueueLimit = limit.Queue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })
                : RateLimitPartition.GetNoLimiter("small"));

    /// <summary>True for a door request that carries a package (the axis <c>sendEdoc</c>, a SOAP
    /// <c>SendDocument</c>/<c>SendStatus</c> by its action) or a body of at least <paramref name="bytes"/>
    /// or of undeclared length.</summary>
    internal static bool IsLarge(HttpContext context, long bytes)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || context.RequestServices.GetRequiredService<LimitRefusals>().DoorOf(context) is not { } door)
        {
            return false;
        }

        if (request.ContentLength is not { } length || length >= bytes)
        {
            return true;
        }

        if (door == "axis")
        {
            return request.Path.Value?.TrimEnd('/').EndsWith("/sendEdoc", StringComparison.OrdinalIgnoreCase) == true;
        }

        // SOAP 1.1 names the operation in SOAPAction, SOAP 1.2 in the content type's action parameter.
        var action = request.Headers["SOAPAction"].ToString() + " " + request.ContentType;
        return door == "soap" && SendOperations.Split('|').Any(op => action.Contains(op, StringComparison.Ordinal));
    }

    private static string AddressOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";
}

/// <summary>The per-client-system limit, taken by the SOAP and axis doors once the caller is known.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class ClientSystemLimiter(WindowLimit limit) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(system =>
        RateLimitPartition.GetFixedWindowLimiter(system, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.Permits,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Takes one request of <paramref name="systemId"/>'s allowance.</summary>
    /// <exception cref="LimitedException">The allowance of the current window is spent.</exception>
    public void Take(string systemId)
    {
        using var lease = _limiter.AttemptAcquire(systemId);
        if (!lease.IsAcquired)
        {
            throw new LimitedException(LimitErrors.RateLimited, "system",
                lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limit.Window);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
