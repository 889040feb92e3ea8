using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Accept;

// The row a status package is stored as, and the words the row keeps.
public sealed partial class AcceptService
{
    private static NewPackage StatusToStore(StatusPackage status, ClientSystem caller, string from, byte[] sha, PackageSpool package,
        DateTimeOffset receivedAt, bool legacy, SignatureVerdict verdict, byte[]? signerSha)
    {
        var target = status.ResponseFor?.OrganId;
        var documentId = status.ResponseFor?.DocumentId;
        if (string.IsNullOrEmpty(target) || string.IsNullOrEmpty(documentId))
        {
            throw Refused(EdxmlError.Create(ErrorCode.MissingField, Header + "ResponseFor", "ResponseFor/OrganId and ResponseFor/DocumentId"));
        }

        // Every status goes to ResponseFor.OrganId. For 13 (take back) the sender is the document's
        // sender and the target its recipient; for the others it is the other way round.
        var takeBack = status.Code == StatusCode.TakeBackRequested;
        return new NewPackage
        {
            Kind = PackageKind.Status,
            SenderSystem = caller.Id,
            From = from,
            DocumentId = documentId,
            Sha256 = sha,
            Body = package,
            ReceivedAt = receivedAt,
            StatusCode = status.StatusCode,
            StatusTarget = target,
            StatusAbout = takeBack ? (from, target) : (target, from),
            Legacy = legacy,
            Signature = SignatureWord(verdict.Status),
            SignerSubject = signerSha is null ? null : verdict.Signer!.Subject,
            SignerSha256 = signerSha,
        };
    }

    private static string SignatureWord(SignatureStatus status) => status switch
    {
        SignatureStatus.Valid => "valid",
        SignatureStatus.Placeholder => "placeholder",
        _ => "unsigned",
    };
}
