using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Lgsp.Server.Inbound.Limits;

/// <summary>Kestrel's limits on connections, headers and slow peers (<c>Hub:Limits:Connections</c>;
/// docs/security.md, "Hostile input at the doors"), set explicitly rather than left to Kestrel's defaults
/// so that the operator sees and can change them. They act before any door: a refusal here is Kestrel's
/// (a status without a body, or a closed connection), counted in
/// <c>lgsp_connections_refused_total{reason}</c>.</summary>
public sealed class ConnectionLimits
{
    /// <summary>Connections open at once (default 15 000); a further one is closed at once. Keep it under
    /// the process's open-file limit, with room for the database pool and log files.</summary>
    public long MaxConnections { get; set; } = 15_000;

    /// <summary>How long an idle connection is kept open between requests (default 1 min).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a request's headers may take to arrive (default 30 s).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>All of a request's headers together (default 32 KiB); beyond it, 431.</summary>
    public int MaxHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>How many headers a request may have (default 100); beyond it, 431.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>The slowest a request body may arrive, on average, once <see cref="MinDataRateGrace"/> has
    /// passed (default 240 bytes/s, Kestrel's); slower, and the request ends with 408 and its connection closes.
    /// The same rate applies to a client reading an answer.</summary>
    public double MinBytesPerSecond { get; set; } = 240;

    /// <summary>The time a body or an answer is given before <see cref="MinBytesPerSecond"/> applies
    /// (default 5 s).</summary>
    public TimeSpan MinDataRateGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sets these limits on Kestrel.</summary>
    public void ApplyTo(KestrelServerLimits limits)
    {
        limits.MaxConcurrentConnections = MaxConnections;
        limits.MaxConcurrentUpgradedConnections = MaxConnections;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.MaxRequestHeadersTotalSize = MaxHeadersBytes;
        limits.MaxRequestHeaderCount = MaxHeaderCount;
        limits.MinRequestBodyDataRate = new MinDataRate(MinBytesPerSecond, MinDataRateGrace);
        limits.MinResponseDataRate = new MinDataRate(MinBytesPerSecond, MinDataRateGrace);
    }

    internal void Validate()
    {
        if (MaxConnections < 1)
        {
            throw LimitsOptions.Invalid("Hub:Limits:Connections:MaxConnections", MaxConnections, "it must be at least 1");
        }

        Require(KeepAliveTimeout > TimeSpan.Zero, "KeepAliveTimeout", KeepAliveTimeout, "it must be positive");
        Require(RequestHeadersTimeout > TimeSpan.Zero, "RequestHeadersTimeout", RequestHeadersTimeout, "it must be positive");

        // The axis protocol signs its parameters in headers: they need room.
        Require(MaxHeadersBytes >= 8 * 1024, "MaxHeadersBytes", MaxHeadersBytes, "it must be at least 8192");
        Require(MaxHeaderCount >= 16, "MaxHeaderCount", MaxHeaderCount, "it must be at least 16");
        Require(MinBytesPerSecond > 0, "MinBytesPerSecond", MinBytesPerSecond, "it must be positive");

        // Kestrel's heartbeat checks the rate once a second; a shorter grace would cut bodies at random.
        Require(MinDataRateGrace >= TimeSpan.FromSeconds(1), "MinDataRateGrace", MinDataRateGrace, "it must be at least 1 s");
    }

    private static void Require(bool holds, string setting, object value, string rule)
    {
        if (!holds)
        {
            throw LimitsOptions.Invalid("Hub:Limits:Connections:" + setting, value, rule);
        }
    }
}
