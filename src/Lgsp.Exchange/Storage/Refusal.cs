using Lgsp.Edxml.Model;

namespace Lgsp.Exchange.Storage;

/// <summary>A refused package, as the ledger records it: the only thing stored for a refusal.</summary>
/// <param name="Kind">What the operation expected: document or status.</param>
/// <param name="SenderSystem">The authenticated client system.</param>
/// <param name="From">The agency the package claims to come from, when it could be read.</param>
/// <param name="Code">The refusal's machine code.</param>
/// <param name="Field">The field it names.</param>
/// <param name="Sha256">SHA-256 of the body as received, lower-case hex.</param>
/// <param name="Size">The body's size in bytes.</param>
/// <param name="At">When it was refused.</param>
public sealed record Refusal(PackageKind Kind, string SenderSystem, string? From, string Code, string Field, string Sha256, long Size, DateTimeOffset At);
