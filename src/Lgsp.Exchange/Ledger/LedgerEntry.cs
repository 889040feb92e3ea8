namespace Lgsp.Exchange.Ledger;

/// <summary>One ledger entry as stored: the unit the chain hashes.</summary>
/// <param name="Seq">The entry's position; ascending, with gaps where a transaction rolled back.</param>
/// <param name="At">When the change happened, UTC; only microseconds count (the database's precision).</param>
/// <param name="Kind">One of the <see cref="LedgerKind"/> values.</param>
/// <param name="Actor">Who made the change (a client system, an administrator, <c>hub</c>).</param>
/// <param name="PackageId">The package concerned, if any.</param>
/// <param name="DocumentId">The document concerned, if any.</param>
/// <param name="DeliveryId">The delivery concerned, if any.</param>
/// <param name="Detail">The entry's detail as JSON text (an object); key order and whitespace do not
/// matter to the chain, see <see cref="LedgerChain.Canonical"/>.</param>
public sealed record LedgerEntry(
    long Seq,
    DateTimeOffset At,
    string Kind,
    string Actor,
    long? PackageId,
    string? DocumentId,
    long? DeliveryId,
    string Detail);
