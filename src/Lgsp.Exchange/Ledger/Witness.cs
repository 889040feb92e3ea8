using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Xml;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Exchange.Ledger;

/// <summary>
/// A parent hub's countersignature on a child hub's checkpoint: the parent states that it saw the
/// child's chain head <see cref="Head"/> at <see cref="LastSeq"/> at <see cref="WitnessedAt"/>, and
/// recorded it in its own ledger (<c>schemas/lgsp-ledger.xsd</c>, element <c>Witness</c> in
/// <see cref="Checkpoint.Namespace"/>). A child that later rewrites any entry up to
/// <see cref="LastSeq"/> can no longer reach this head (docs/audit.md, "what witnessing adds").
/// </summary>
/// <param name="WitnessHub">The witnessing (parent) hub's id: element <c>Witness</c>.</param>
/// <param name="Hub">The child hub whose checkpoint was witnessed.</param>
/// <param name="LastSeq">The checkpoint's last seq: the head is the chain hash after it.</param>
/// <param name="Head">Hex of the child's chain hash after <paramref name="LastSeq"/>.</param>
/// <param name="CheckpointSha256">Hex SHA-256 of the signed checkpoint bytes the child sent.</param>
/// <param name="WitnessedAt">When the parent recorded it, UTC, microseconds.</param>
/// <remarks>Immutable and thread safe.</remarks>
public sealed record Witness(string WitnessHub, string Hub, long LastSeq, string Head, string CheckpointSha256, DateTimeOffset WitnessedAt)
{
    /// <summary>The witness of <paramref name="checkpoint"/>, whose signed bytes are
    /// <paramref name="checkpointXml"/>, by <paramref name="witnessHub"/> at <paramref name="at"/>
    /// (kept to microseconds).</summary>
    public static Witness Of(Checkpoint checkpoint, byte[] checkpointXml, string witnessHub, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(checkpointXml);
        return new Witness(witnessHub, checkpoint.Hub, checkpoint.LastSeq, checkpoint.Head, Sha256Hex(checkpointXml),
            new DateTimeOffset(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero));
    }

    /// <summary>Hex SHA-256 of a signed checkpoint, as <see cref="CheckpointSha256"/> states it.</summary>
    public static string Sha256Hex(byte[] checkpointXml) => LedgerChain.Hex(SHA256.HashData(checkpointXml));

    /// <summary>The unsigned witness document.</summary>
    public XmlDocument ToXml()
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = document.AppendChild(document.CreateElement("Witness", Checkpoint.Namespace))!;
        void Add(string name, string value) => root.AppendChild(document.CreateElement(name, Checkpoint.Namespace))!.InnerText = value;
        Add("Witness", WitnessHub);
        Add("Hub", Hub);
        Add("LastSeq", LastSeq.ToString(CultureInfo.InvariantCulture));
        Add("Head", Head);
        Add("CheckpointSha256", CheckpointSha256);
        Add("WitnessedAt", LedgerChain.FormatAt(WitnessedAt));
        return document;
    }

    /// <summary>The witness signed with the witnessing hub's certificate (enveloped XMLDSig, as
    /// checkpoints and receipts are): the countersignature returned to the child.</summary>
    /// <exception cref="ArgumentException">The hub's id is not <see cref="WitnessHub"/>.</exception>
    /// <exception cref="CryptographicException">Signing failed.</exception>
    public byte[] Sign(HubIdentity witness)
    {
        ArgumentNullException.ThrowIfNull(witness);
        if (witness.Id != WitnessHub)
        {
            throw new ArgumentException($"The witness is by hub '{WitnessHub}', not '{witness.Id}'.", nameof(witness));
        }

        return SignedXmlDocument.Sign(ToXml(), witness.Certificate, witness.Chain);
    }

    /// <summary>Verifies a countersignature and reads it.</summary>
    /// <param name="xml">The signed witness bytes.</param>
    /// <param name="signer">What the witnessing hub's certificate must satisfy;
    /// <see cref="SignerCheck.SignatureOnly"/> checks the signature only (the verdict is then never
    /// trusted).</param>
    /// <returns>The verdict; never throws for bad input.</returns>
    public static WitnessVerdict Verify(byte[] xml, SignerCheck signer)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var signature = SignedXmlDocument.Verify(xml, signer, signedAt: null);
        if (!signature.IsValid)
        {
            return new WitnessVerdict(false, false, null, signature.Signer, $"witness signature invalid: {signature.Problem}");
        }

        var (witness, problem) = Read(xml);
        return witness is null
            ? new WitnessVerdict(false, false, null, signature.Signer, problem)
            : new WitnessVerdict(true, signature.IsTrusted, witness, signature.Signer,
                signature.IsTrusted ? null : $"witness signer not trusted: {signature.Problem}");
    }

    private static (Witness? Witness, string? Problem) Read(byte[] xml)
    {
        // The signature verified, so the bytes are well-formed XML within the limits.
        var root = SafeXml.LoadDocument(new MemoryStream(xml, writable: false), XmlLimits.Default).DocumentElement!;
        if (root.LocalName != "Witness" || root.NamespaceURI != Checkpoint.Namespace)
        {
            return (null, $"not a witness: the root element is {{{root.NamespaceURI}}}{root.LocalName}");
        }

        string? Text(string name) => root.SelectSingleNode($"*[local-name()='{name}' and namespace-uri()='{Checkpoint.Namespace}']")?.InnerText;
        var witnessHub = Text("Witness");
        var hub = Text("Hub");
        var head = Text("Head");
        var checkpointSha256 = Text("CheckpointSha256");
        if (string.IsNullOrEmpty(witnessHub) || string.IsNullOrEmpty(hub) || !IsHash(head) || !IsHash(checkpointSha256)
            || !long.TryParse(Text("LastSeq"), NumberStyles.None, CultureInfo.InvariantCulture, out var lastSeq)
            || !DateTimeOffset.TryParseExact(Text("WitnessedAt"), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return (null, "witness malformed: Witness, Hub, LastSeq, Head, CheckpointSha256 and WitnessedAt are required in their formats");
        }

        return (new Witness(witnessHub, hub, lastSeq, head!, checkpointSha256!, at), null);
    }

    private static bool IsHash(string? hex) => hex is { Length: 2 * LedgerChain.HashLength } && hex.All(char.IsAsciiHexDigitLower);
}

/// <summary>The verdict on a countersignature.</summary>
/// <param name="IsValid">The signature verifies and the content is a well-formed witness.</param>
/// <param name="IsTrusted">Valid, and the signer chains to the given trust.</param>
/// <param name="Witness">What the witness states, when valid.</param>
/// <param name="Signer">The signer certificate, when present.</param>
/// <param name="Problem">Why it is not valid or not trusted; null when it is both.</param>
public sealed record WitnessVerdict(bool IsValid, bool IsTrusted, Witness? Witness, X509Certificate2? Signer, string? Problem);
