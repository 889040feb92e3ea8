namespace Lgsp.Exchange.Storage;

/// <summary>Work that runs on at most one hub instance at a time, among the instances sharing one store.</summary>
public enum ExclusiveWork
{
    /// <summary>Pulling what the parent hub holds for this hub's subtree.</summary>
    ParentPoll,

    /// <summary>Copying the parent hub's directory.</summary>
    DirectorySync,

    /// <summary>Sending this hub's latest checkpoint to its parent to be countersigned.</summary>
    Witnessing,

    /// <summary>Opening the console's key ring at start, creating its first key when it has none, so
    /// that instances starting at once share one key instead of each making its own.</summary>
    KeyRingStart,
}

/// <summary>Runs a piece of work on at most one instance at a time across every hub instance sharing
/// the store. A crashed instance gives its turn up with its connection to the store.</summary>
/// <remarks>Implementations are thread safe.</remarks>
public interface IExclusiveRun
{
    /// <summary>Runs <paramref name="run"/> when no other instance is running <paramref name="work"/>;
    /// returns false without running it otherwise.</summary>
    /// <exception cref="Exception">The store cannot be reached, or whatever <paramref name="run"/> throws.</exception>
    Task<bool> TryRunAsync(ExclusiveWork work, Func<CancellationToken, Task> run, CancellationToken ct);
}
