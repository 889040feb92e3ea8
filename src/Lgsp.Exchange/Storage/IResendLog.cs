namespace Lgsp.Exchange.Storage;

/// <summary>The axis protocol's record of <c>sendEdoc</c> calls by (system, MAC), which the resend
/// de-duplication reads (<see cref="Accept.ResendWindow"/>).</summary>
/// <remarks>Implementations are thread safe. Methods throw only for infrastructure failures.</remarks>
public interface IResendLog
{
    /// <summary>The package an earlier <c>sendEdoc</c> with the same (system, MAC) stored at or after
    /// <paramref name="since"/>, or null.</summary>
    Task<AxisResend?> FindResendAsync(string systemId, string hashHeader, DateTimeOffset since, CancellationToken ct = default);

    /// <summary>Remembers a <c>sendEdoc</c>'s (system, MAC) → package (a later record of the same pair
    /// keeps the first).</summary>
    Task RecordSendAsync(string systemId, string hashHeader, long packageId, DateTimeOffset at, CancellationToken ct = default);
}

/// <summary>An earlier <c>sendEdoc</c> answer.</summary>
/// <param name="PackageId">The package it stored.</param>
/// <param name="Receipt">The receipt issued then.</param>
public sealed record AxisResend(long PackageId, byte[] Receipt);
