namespace Lgsp.Exchange.Storage;

/// <summary>Where the console's data-protection key ring is kept as text, one element per key or
/// revocation, shared by every hub instance on one store (the console's <c>KeyRingRepository</c> reads
/// and writes it; the keys arrive sealed, so the store never holds key material in clear).</summary>
/// <remarks>Synchronous because ASP.NET Core's key repository is: the ring is read at start and about
/// once a day, and written once per new key. Implementations are thread safe and throw only for
/// infrastructure failures.</remarks>
public interface IKeyRingStore
{
    /// <summary>Every stored element, as stored, oldest first.</summary>
    IReadOnlyList<string> ReadAll();

    /// <summary>Adds one element (a key or a revocation) under <paramref name="friendlyName"/>.</summary>
    void Add(string friendlyName, string element);
}
