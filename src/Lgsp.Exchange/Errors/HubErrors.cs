using System.Collections.Frozen;
using System.Globalization;
using Lgsp.Edxml.Errors;

namespace Lgsp.Exchange.Errors;

/// <summary>The hub's business error codes, beyond the format core's <see cref="ErrorCode"/>. Stable:
/// clients branch on them. Transport-level codes (authentication, SOAP framing, internal errors)
/// belong to the edge that speaks the protocol.</summary>
public static class HubErrorCode
{
    /// <summary>The client system may not act for that agency, or see that item.</summary>
    public const string Forbidden = nameof(Forbidden);

    /// <summary>No such item.</summary>
    public const string NotFound = nameof(NotFound);

    /// <summary>The envelope signer's certificate is not registered for the sending agency.</summary>
    public const string SignerMismatch = nameof(SignerMismatch);

    /// <summary>The package already passed through this hub (its hop metadata names this hub).</summary>
    public const string LoopDetected = nameof(LoopDetected);

    /// <summary>A package names, as its sender or a recipient, a code that follows neither agency-code form
    /// and that this hub's directory does not hold: it cannot be routed.</summary>
    public const string UnknownNonStandardCode = nameof(UnknownNonStandardCode);

    /// <summary>The sender already sent other bytes under this DocumentId.</summary>
    public const string DuplicateDocumentId = nameof(DuplicateDocumentId);

    /// <summary>A document was sent where a status was expected, or the reverse.</summary>
    public const string WrongPackageKind = nameof(WrongPackageKind);

    /// <summary>A request field is missing or out of range.</summary>
    public const string InvalidRequest = nameof(InvalidRequest);

    /// <summary>Only a child hub's inbound system may have checkpoints witnessed.</summary>
    public const string NotChildHub = nameof(NotChildHub);

    /// <summary>A checkpoint sent for witnessing does not verify, is not trusted, or is not the
    /// caller's.</summary>
    public const string CheckpointInvalid = nameof(CheckpointInvalid);

    /// <summary>A checkpoint sent for witnessing states another head for a position this hub
    /// already witnessed: the caller's history changed.</summary>
    public const string CheckpointConflict = nameof(CheckpointConflict);

    /// <summary>A console user's name is not one the console accepts.</summary>
    public const string UserNameInvalid = nameof(UserNameInvalid);

    /// <summary>A console user with that name exists.</summary>
    public const string UserExists = nameof(UserExists);

    /// <summary>A console user's role and agencies do not fit: an agency clerk needs agencies, the other
    /// roles take none.</summary>
    public const string UserAgenciesMismatch = nameof(UserAgenciesMismatch);

    /// <summary>A client system asked to register an agency outside its own agencies' subtree (or has
    /// no agencies of its own).</summary>
    public const string RegistrationOutsideMandate = nameof(RegistrationOutsideMandate);

    /// <summary>An auditor's system asked to register an agency.</summary>
    public const string RegistrationNotAllowed = nameof(RegistrationNotAllowed);

    /// <summary>This hub takes no agency registrations from client systems (<c>Hub:Axis:Registration</c>
    /// = <c>refuse</c>).</summary>
    public const string RegistrationClosed = nameof(RegistrationClosed);
}

/// <summary>English and Vietnamese sentences for <see cref="HubErrorCode"/>; format-core codes come
/// from <see cref="ErrorCatalog"/>.</summary>
public static class HubErrors
{
    private static readonly FrozenDictionary<string, (string En, string Vi)> Sentences =
        new Dictionary<string, (string En, string Vi)>
        {
            [HubErrorCode.Forbidden] = ("The client system {0} may not act for {1} in this way.", "Hệ thống {0} không được phép thực hiện thao tác này thay cho {1}."),
            [HubErrorCode.NotFound] = ("Nothing matches {0} = '{1}'.", "Không tìm thấy mục nào có {0} = '{1}'."),
            [HubErrorCode.SignerMismatch] = ("The signer certificate {0} is not registered for the sending agency {1}.", "Chứng thư số ký {0} không được đăng ký cho cơ quan gửi {1}."),
            [HubErrorCode.LoopDetected] = ("The package already passed through this hub ({0}; hops {1}); it is not taken again, so that it cannot circle between hubs.",
                "Gói tin đã đi qua hệ thống này ({0}; các chặng {1}); không tiếp nhận lại để gói tin không bị chuyển vòng giữa các hệ thống."),
            [HubErrorCode.UnknownNonStandardCode] = ("'{0}' follows neither agency-code form and is not in this hub's directory, so it cannot be routed; the administrator adds it (lgsp agencies add --nonstandard) if it is a real agency.",
                "'{0}' không theo dạng mã định danh nào và không có trong danh bạ của hệ thống này nên không thể định tuyến; quản trị viên bổ sung mã (lgsp agencies add --nonstandard) nếu đó là cơ quan thật."),
            [HubErrorCode.DuplicateDocumentId] = ("The agency {0} already sent a different package with DocumentId {1}.", "Cơ quan {0} đã gửi một gói tin khác có mã văn bản {1}."),
            [HubErrorCode.WrongPackageKind] = ("{0} expects a {1} package, but this is a {2} package.", "{0} cần gói tin loại {1}, nhưng gói tin này là loại {2}."),
            [HubErrorCode.InvalidRequest] = ("The request is invalid: {0}", "Yêu cầu không hợp lệ: {0}"),
            [HubErrorCode.NotChildHub] = ("The client system {0} is not the inbound system of a child hub; only a child hub's checkpoints are witnessed here.", "Hệ thống {0} không phải là hệ thống kết nối của một hệ thống cấp dưới; chỉ điểm niêm phong của hệ thống cấp dưới mới được chứng thực tại đây."),
            [HubErrorCode.CheckpointInvalid] = ("The checkpoint cannot be witnessed: {0}", "Không thể chứng thực điểm niêm phong: {0}"),
            [HubErrorCode.RegistrationOutsideMandate] = ("The client system {0} may register an agency only under one of its own agencies ({1}); {2} is neither one of them nor below one.",
                "Hệ thống {0} chỉ được đăng ký cơ quan trực thuộc một trong các cơ quan của mình ({1}); {2} không phải là một trong các cơ quan đó và cũng không trực thuộc chúng."),
            [HubErrorCode.RegistrationNotAllowed] = ("The client system {0} is an auditor's system and may not register agencies.", "Hệ thống {0} là hệ thống của cơ quan kiểm tra, không được đăng ký cơ quan."),
            [HubErrorCode.RegistrationClosed] = ("This hub does not take agency registrations from client systems; ask the provincial office that operates the hub to add {0} to the directory.",
                "Hệ thống này không nhận đăng ký cơ quan từ hệ thống quản lý văn bản; đề nghị liên hệ đơn vị vận hành cấp tỉnh để bổ sung {0} vào danh mục."),
            [HubErrorCode.CheckpointConflict] = ("Hub {0} already had head {2} witnessed at seq {1}; this checkpoint states {3} for the same position.", "Hệ thống {0} đã được chứng thực giá trị băm {2} tại vị trí {1}; điểm niêm phong này lại nêu {3} cho cùng vị trí."),
            [HubErrorCode.UserNameInvalid] = ("'{0}' is not a console user name: 1 to 64 letters, digits and . _ - @, not beginning with sso: (kept for single sign-on users).", "'{0}' không phải là tên người dùng hợp lệ: từ 1 đến 64 chữ cái, chữ số và . _ - @, không bắt đầu bằng sso: (dành cho người dùng đăng nhập tập trung)."),
            [HubErrorCode.UserExists] = ("A console user named {0} exists.", "Đã có người dùng tên {0}."),
            [HubErrorCode.UserAgenciesMismatch] = ("An agency clerk reads the documents of at least one agency; the other roles are not limited to agencies.", "Văn thư cơ quan phải gắn với ít nhất một cơ quan; các vai trò khác không gắn với cơ quan nào."),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every hub code.</summary>
    public static IEnumerable<string> Codes => Sentences.Keys;

    /// <summary>An error with a hub code (or a format-core code) and its sentences.</summary>
    /// <exception cref="ArgumentException">The code is in neither catalog.</exception>
    public static EdxmlError Create(string code, string field, params object?[] args)
    {
        if (!Sentences.TryGetValue(code, out var s))
        {
            return EdxmlError.Create(code, field, args);
        }

        return new EdxmlError(code, field, string.Format(CultureInfo.InvariantCulture, s.En, args), string.Format(CultureInfo.InvariantCulture, s.Vi, args));
    }
}

/// <summary>A refusal the caller can act on, carrying one precise error. Nothing was stored.</summary>
public sealed class ExchangeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The error to report.</param>
    /// <param name="callerFault">True when the request was at fault (SOAP Client/Sender), false when the hub was.</param>
    public ExchangeException(EdxmlError error, bool callerFault = true)
        : base($"{error.Code} {error.Field}: {error.Message}")
    {
        Error = error;
        CallerFault = callerFault;
    }

    /// <summary>The error.</summary>
    public EdxmlError Error { get; }

    /// <summary>True when the caller's request was at fault.</summary>
    public bool CallerFault { get; }

    /// <summary>Throws an <see cref="ExchangeException"/> for a hub or format-core code.</summary>
    public static ExchangeException Of(string code, string field, params object?[] args) => new(HubErrors.Create(code, field, args));
}
