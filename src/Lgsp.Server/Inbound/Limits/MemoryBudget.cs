using Lgsp.Server.Observability;

namespace Lgsp.Server.Inbound.Limits;

/// <summary>The bytes of <see cref="MemoryBudgetOptions.Bytes"/> that large requests in flight have
/// reserved. A reservation that does not fit waits until others are released, at most
/// <see cref="MemoryBudgetOptions.Wait"/>; then it is refused (admission control, not out of memory).</summary>
/// <remarks>No fairness between waiters: the wait is short, and a refused caller is told when to come
/// back. Thread safe.</remarks>
public sealed class MemoryBudget
{
    private readonly object _gate = new();
    private readonly MemoryBudgetOptions _options;
    private readonly HubMetrics _metrics;
    private readonly TimeProvider _clock;
    private long _inUse;
    private TaskCompletionSource _released = NewSignal();

    /// <summary>Creates the budget.</summary>
    public MemoryBudget(MemoryBudgetOptions options, HubMetrics metrics, TimeProvider clock)
    {
        _options = options;
        _metrics = metrics;
        _clock = clock;
        metrics.MemoryBudget(options.Bytes, 0);
    }

    /// <summary>The budget's options.</summary>
    public MemoryBudgetOptions Options => _options;

    /// <summary>The bytes reserved now.</summary>
    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>Reserves <paramref name="bytes"/>, waiting at most <see cref="MemoryBudgetOptions.Wait"/>.</summary>
    /// <returns>False when the bytes did not fit in time; nothing is reserved then.</returns>
    public async Task<bool> TryReserveAsync(long bytes, CancellationToken ct)
    {
        if (bytes <= 0)
        {
            return true;
        }

        var deadline = _clock.GetUtcNow() + _options.Wait;
        var waited = false;
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (_inUse + bytes <= _options.Bytes)
                {
                    _inUse += bytes;
                    _metrics.MemoryBudget(_options.Bytes, _inUse);
                    return true;
                }

                released = _released.Task;
            }

            var left = deadline - _clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                _metrics.MemoryBudgetRefused();
                return false;
            }

            if (!waited)
            {
                waited = true;
                _metrics.MemoryBudgetWaited();
            }

            // Woken by any release; a timeout just ends the wait.
            await Task.WhenAny(released, Task.Delay(left, _clock, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Gives back <paramref name="bytes"/> reserved earlier and wakes the waiters.</summary>
    public void Release(long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }

        TaskCompletionSource released;
        lock (_gate)
        {
            _inUse -= bytes;
            _metrics.MemoryBudget(_options.Bytes, _inUse);
            released = _released;
            _released = NewSignal();
        }

        released.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
