using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lgsp.Exchange.Ledger;

/// <summary>
/// A ledger entry about to be appended, before the database gives it its seq: what happened
/// (<see cref="Kind"/>), who did it, when, what it concerns, and its detail. Only the entry factories
/// make one (<see cref="PackageEntries"/>, <see cref="DeliveryEntries"/>, <see cref="AttemptEntries"/>,
/// <see cref="DirectoryEntries"/>, <see cref="TrustEntries"/>, <see cref="UserEntries"/>, <see cref="WitnessEntries"/>): they are the
/// ledger's vocabulary, the audit contract of docs/audit.md ("What is recorded"). A store appends the
/// entry as it is, in the transaction of the change it records.
/// </summary>
/// <remarks>Immutable and thread safe.</remarks>
public sealed class NewLedgerEntry
{
    /// <summary>The actor of the entries the hub writes on its own account (routing, pushes).</summary>
    internal const string Hub = "hub";

    /// <summary>How the detail spells an enum value (<c>document</c>, <c>push</c>, <c>parent</c>…): the
    /// same lower-case words the database stores.</summary>
    internal static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>How the detail states the SHA-256 of certificate or CRL bytes: lower-case hex.</summary>
    internal static string Sha256Hex(byte[] data) => LedgerChain.Hex(SHA256.HashData(data));

    // Absent values are left out rather than written as null. Sealed ledgers and evidence bundles hash
    // the detail as first written, so the serialisation is part of the contract: change none of it.
    private static readonly JsonSerializerOptions DetailJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    internal NewLedgerEntry(string kind, string actor, DateTimeOffset at, object detail, long? packageId = null, string? documentId = null,
        long? deliveryId = null)
    {
        Kind = kind;
        Actor = actor;
        At = at;
        Detail = JsonSerializer.Serialize(detail, DetailJson);
        PackageId = packageId;
        DocumentId = documentId;
        DeliveryId = deliveryId;
    }

    /// <summary>One of the <see cref="LedgerKind"/> values.</summary>
    public string Kind { get; }

    /// <summary>Who made the change: a client system, an administrator, or <c>hub</c>.</summary>
    public string Actor { get; }

    /// <summary>When the change happened.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The detail as JSON text (an object), exactly as it is to be stored.</summary>
    public string Detail { get; }

    /// <summary>The package concerned, if any.</summary>
    public long? PackageId { get; }

    /// <summary>The document concerned, if any.</summary>
    public string? DocumentId { get; }

    /// <summary>The delivery concerned, if any.</summary>
    public long? DeliveryId { get; }
}

/// <summary>The delivery a ledger entry is about: its package, document and row, and its recipient
/// (which every delivery entry's detail names).</summary>
/// <param name="PackageId">The package delivered.</param>
/// <param name="DocumentId">The package's DocumentId.</param>
/// <param name="DeliveryId">The delivery row.</param>
/// <param name="Recipient">The agency it is delivered to.</param>
public sealed record DeliveryConcerned(long PackageId, string DocumentId, long DeliveryId, string Recipient)
{
    /// <summary>An entry about this delivery.</summary>
    internal NewLedgerEntry Entry(string kind, string actor, DateTimeOffset at, object detail) =>
        new(kind, actor, at, detail, PackageId, DocumentId, DeliveryId);
}
