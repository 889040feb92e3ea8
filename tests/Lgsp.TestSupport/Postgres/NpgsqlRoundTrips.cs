using System.Collections.Concurrent;
using System.Diagnostics;

namespace Lgsp.TestSupport.Postgres;

/// <summary>Counts the round trips Npgsql makes to one database, from its tracing: one activity per
/// command or batch executed (a batch of many statements is one round trip). Other tests' databases
/// are left out, so tests running at the same time do not disturb the count.</summary>
public sealed class NpgsqlRoundTrips : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<string> _seen = new();

    /// <param name="database">The database whose commands are counted.</param>
    public NpgsqlRoundTrips(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (IsCommand(activity) && activity.TagObjects.Any(t => t.Value is string value && value == database))
                {
                    _seen.Enqueue(activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The round trips counted since the last call (or since counting began), and starts again.</summary>
    public IReadOnlyList<string> Take()
    {
        var taken = new List<string>();
        while (_seen.TryDequeue(out var name))
        {
            taken.Add(name);
        }

        return taken;
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    // Npgsql also traces opening a physical connection; only executions are round trips of the work.
    private static bool IsCommand(Activity activity) =>
        activity.TagObjects.Any(t => t.Key is "db.query.text" or "db.statement");
}
