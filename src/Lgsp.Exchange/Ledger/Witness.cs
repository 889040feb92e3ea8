using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Lgsp.Edxml.Signatures;
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
    /// trusted). The chain is checked as of the witness's <c>WitnessedAt</c>, as a checkpoint's is
    /// as of its <c>SealedAt</c>.</param>
    /// <returns>The verdict; never throws for bad input.</returns>
    public static WitnessVerdict Verify(byte[] xml, SignerCheck signer)
    {
        var (witness, signature, problem) = LedgerDocument.Verify(xml, signer, "Witness", "witness", Read, w => w.WitnessedAt);
        return new WitnessVerdict(witness is not null, witness is not null && signature.IsTrusted, witness, signature.Signer, problem);
    }

    private static (Witness? Witness, string? Problem) Read(LedgerDocument document)
    {
        var witnessHub = document.Text("Witness");
        var hub = document.Text("Hub");
        if (string.IsNullOrEmpty(witnessHub) || string.IsNullOrEmpty(hub) || document.Hash("Head") is not { } head
            || document.Hash("CheckpointSha256") is not { } checkpointSha256
            || document.Number("LastSeq") is not { } lastSeq || document.At("WitnessedAt") is not { } at)
        {
            return (null, "witness malformed: Witness, Hub, LastSeq, Head, CheckpointSha256 and WitnessedAt are required in their formats");
        }

        return (new Witness(witnessHub, hub, lastSeq, head, checkpointSha256, at), null);
    }
}

/// <summary>The verdict on a countersignature.</summary>
/// <param name="IsValid">The signature verifies and the content is a well-formed witness.</param>
/// <param name="IsTrusted">Valid, and the signer chains to the given trust.</param>
/// <param name="Witness">What the witness states, when valid.</param>
/// <param name="Signer">The signer certificate, when present.</param>
/// <param name="Problem">Why it is not valid or not trusted; null when it is both.</param>
public sealed record WitnessVerdict(bool IsValid, bool IsTrusted, Witness? Witness, X509Certificate2? Signer, string? Problem);
