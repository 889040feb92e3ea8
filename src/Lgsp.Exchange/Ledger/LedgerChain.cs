using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lgsp.Exchange.Ledger;

/// <summary>
/// The ledger's hash chain (docs/audit.md): each entry's canonical content is hashed, and each
/// chain hash covers the previous chain hash and the entry's content hash, starting from 32 zero
/// bytes. The evidence bundle and <c>lgsp audit verify-ledger</c> recompute exactly this.
/// </summary>
/// <remarks>Thread safe: stateless.</remarks>
public static class LedgerChain
{
    /// <summary>The length of every hash in the chain: SHA-256.</summary>
    public const int HashLength = 32;

    /// <summary>The chain hash before the first entry: 32 zero bytes. Returns a new array each call.</summary>
    public static byte[] Genesis => new byte[HashLength];

    /// <summary>The entry's canonical content: the UTF-8 of the JSON array
    /// <c>[seq,"at","kind","actor",packageId|null,"documentId"|null,deliveryId|null,detail]</c> without
    /// whitespace, written by <see cref="Utf8JsonWriter"/> with its default escaping; <c>at</c> is
    /// <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> in UTC and <c>detail</c> is the detail JSON re-written with
    /// object keys sorted by ordinal, numbers as their original text and strings re-escaped.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    /// <exception cref="JsonException">The detail is not valid JSON.</exception>
    public static byte[] Canonical(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>(256 + entry.Detail.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(entry.Seq);
            writer.WriteStringValue(FormatAt(entry.At));
            writer.WriteStringValue(entry.Kind);
            writer.WriteStringValue(entry.Actor);
            WriteNullable(writer, entry.PackageId);
            if (entry.DocumentId is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(entry.DocumentId);
            }

            WriteNullable(writer, entry.DeliveryId);
            using (var detail = JsonDocument.Parse(entry.Detail))
            {
                WriteCanonical(writer, detail.RootElement);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The entry's content hash: SHA-256 of <see cref="Canonical"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    /// <exception cref="JsonException">The detail is not valid JSON.</exception>
    public static byte[] ContentHash(LedgerEntry entry) => SHA256.HashData(Canonical(entry));

    /// <summary>The next chain hash: SHA-256 of <paramref name="previousHead"/> (32 bytes) followed by
    /// <paramref name="contentHash"/> (32 bytes).</summary>
    /// <exception cref="ArgumentException">Either hash is not 32 bytes long.</exception>
    public static byte[] Link(ReadOnlySpan<byte> previousHead, ReadOnlySpan<byte> contentHash)
    {
        if (previousHead.Length != HashLength || contentHash.Length != HashLength)
        {
            throw new ArgumentException($"Chain hashes are {HashLength} bytes long.");
        }

        Span<byte> input = stackalloc byte[2 * HashLength];
        previousHead.CopyTo(input);
        contentHash.CopyTo(input[HashLength..]);
        return SHA256.HashData(input);
    }

    /// <summary>The text form of a hash in checkpoints and reports: lower-case hex.</summary>
    public static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    /// <summary>The instant as the chain writes it: UTC, microseconds, <c>Z</c>.</summary>
    public static string FormatAt(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteNullable(Utf8JsonWriter writer, long? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteNumberValue(value.Value);
        }
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                // The original text, so that 1.50 stays 1.50: no round trip through a binary number.
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
