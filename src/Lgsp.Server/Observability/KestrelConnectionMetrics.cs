using System.Diagnostics.Metrics;
using Prometheus;

namespace Lgsp.Server.Observability;

/// <summary>What Kestrel refuses before any door sees a request (a header over its limit, a body or an
/// answer slower than the minimum data rate, headers that never finish, a connection over the limit),
/// brought into the hub's registry from Kestrel's own meter: <c>lgsp_connections_ended_total{reason}</c>
/// counts connections Kestrel ended for a reason other than a normal close (its <c>error.type</c>, such
/// as <c>max_request_headers_total_size_exceeded</c> or <c>min_request_body_data_rate</c>), and
/// <c>lgsp_connections_rejected_total</c> those refused at once over <c>Hub:Limits:Connections:MaxConnections</c>.</summary>
/// <remarks>Listens to every Kestrel server in the process (tests may run several hubs in one: each
/// counts them all). Thread safe.</remarks>
public sealed class KestrelConnectionMetrics : IHostedService, IDisposable
{
    private const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";
    private readonly MeterListener _listener = new();
    private readonly Counter _ended;
    private readonly Counter _rejected;

    /// <summary>Creates the counters in the hub's registry.</summary>
    public KestrelConnectionMetrics(HubMetrics metrics)
    {
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        _ended = factory.CreateCounter("lgsp_connections_ended_total", "Connections Kestrel ended for a reason other than a normal close, by reason (its error.type).", "reason");
        _rejected = factory.CreateCounter("lgsp_connections_rejected_total", "Connections refused at once because Hub:Limits:Connections:MaxConnections were open.");
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KestrelMeter && instrument.Name is "kestrel.connection.duration" or "kestrel.rejected_connections")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Ended(tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "kestrel.rejected_connections")
            {
                _rejected.Inc(value);
            }
        });
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Ended(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "error.type" && tag.Value is string reason)
            {
                _ended.WithLabels(reason).Inc();
                return;
            }
        }
    }
}
