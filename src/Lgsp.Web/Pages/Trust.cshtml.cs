using System.Security.Cryptography;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>The hub's trust: roots, intermediates and CRLs with their expiry and staleness; operators
/// upload new ones (PEM or DER).</summary>
[Requires(ConsoleRight.ReadAll)]
public sealed class TrustModel(TrustStatus status, IDirectoryStore directory, TimeProvider clock, ConsoleText text) : ConsolePageModel
{
    /// <summary>The largest file the upload takes: trust files are a few kilobytes; a province's
    /// biggest CRLs a few megabytes.</summary>
    public const int MaxUploadBytes = 8 * 1024 * 1024;

    /// <summary>Roots and intermediates, soonest expiry first.</summary>
    public IReadOnlyList<TrustAnchorStatus> Anchors { get; private set; } = [];

    /// <summary>CRLs, soonest next update first.</summary>
    public IReadOnlyList<CrlStatus> Crls { get; private set; } = [];

    /// <summary>What the upload did.</summary>
    public IReadOnlyList<string> Done { get; private set; } = [];

    /// <summary>Warnings about what was uploaded.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];


    /// <summary>Shows the trust.</summary>
    public async Task OnGetAsync(CancellationToken ct) => (Anchors, Crls) = await status.ReadAsync(ct);

    /// <summary>Adds the certificates or CRLs in the uploaded file.</summary>
    /// <param name="kind"><c>root</c>, <c>intermediate</c> or <c>crl</c>.</param>
    /// <param name="file">The file (PEM or DER).</param>
    /// <param name="ct">Cancels.</param>
    [RequestSizeLimit(MaxUploadBytes + 64 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes + 64 * 1024)]
    public async Task<IActionResult> OnPostUploadAsync(string? kind, IFormFile? file, CancellationToken ct)
    {
        if (!Can(ConsoleRight.EditTrust))
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            Refused = text["Hãy chọn một tệp.", "Choose a file."];
        }
        else if (file.Length > MaxUploadBytes)
        {
            Refused = text[$"Tệp lớn hơn {MaxUploadBytes / 1048576} MB.", $"The file is larger than {MaxUploadBytes / 1048576} MB."];
        }
        else if (kind is not ("root" or "intermediate" or "crl"))
        {
            Refused = text["Hãy chọn loại: chứng thư gốc, trung gian hoặc danh sách thu hồi.", "Choose a kind: root, intermediate or CRL."];
        }
        else
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            await AddAsync(kind, buffer.ToArray(), file.FileName, ct);
        }

        (Anchors, Crls) = await status.ReadAsync(ct);
        return Answer();
    }

    private async Task AddAsync(string kind, byte[] bytes, string name, CancellationToken ct)
    {
        var done = new List<string>();
        var warnings = new List<string>();
        try
        {
            if (kind == "crl")
            {
                foreach (var crl in RevocationList.LoadAll(bytes, name))
                {
                    await directory.AddCrlAsync(crl.RawData, crl.Issuer.Name, crl.ThisUpdate, Actor, ct);
                    done.Add(text[$"Đã thêm danh sách thu hồi của {crl.Issuer.Name} ({crl.Entries.Count} chứng thư bị thu hồi).",
                        $"Added the CRL of {crl.Issuer.Name} ({crl.Entries.Count} revoked)."]);
                    if (crl.IsStaleAt(clock.GetUtcNow()))
                    {
                        warnings.Add(text[$"Danh sách này đã quá hạn cập nhật ({text.Time(crl.NextUpdate)}): chứng thư do {crl.Issuer.Name} cấp sẽ bị từ chối (CrlStale) cho đến khi có danh sách mới.",
                            $"This CRL is already stale (next update was due {text.Time(crl.NextUpdate)}): certificates of {crl.Issuer.Name} fail (CrlStale) until a fresh CRL is added."]);
                    }

                    if (crl.UnsupportedReason is { } reason)
                    {
                        warnings.Add(text[$"Trục sẽ không dùng danh sách này: {reason}", $"The hub will not use this CRL: {reason}"]);
                    }
                }
            }
            else
            {
                foreach (var certificate in TrustMaterial.LoadCertificates(bytes, name))
                {
                    using (certificate)
                    {
                        await directory.AddTrustCertificateAsync(certificate, kind == "root", Actor, ct);
                        done.Add(text[$"Đã thêm chứng thư {(kind == "root" ? "gốc" : "trung gian")} {certificate.Subject}.",
                            $"Added the {kind} {certificate.Subject}."]);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or InvalidDataException)
        {
            Refused = text[$"Không đọc được tệp {name}: {ex.Message}", $"The file {name} cannot be read: {ex.Message}"];
            return;
        }

        if (done.Count == 0)
        {
            Refused = text[$"Tệp {name} không chứa chứng thư hay danh sách thu hồi nào.", $"The file {name} holds no certificate or CRL."];
        }

        Done = done;
        Warnings = warnings;
    }
}
